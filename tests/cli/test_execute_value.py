"""`iwo execute` of a proposal whose actions carry ETH: the executing account pays it, so the
command says how much before sending and needs --pay-value."""

ETH = "0x" + "0" * 40


def test_execute_says_what_it_costs_and_needs_a_flag(iwo, collective):
    iwo.ok("node", "advance", "60")
    made = iwo.json(
        "propose",
        "call",
        collective["treasury"],
        "donate(address,uint256,string)",
        ETH,
        "10000000000000000",
        "from the executor",
        "--value",
        "0.01",
        "-m",
        "A donation that the executor pays",
        "--account",
        "test1",
    )
    assert made["value"] == 10**16
    assert made["explained"] == [
        f"send 0.01 ETH with: call donate({ETH}, 10000000000000000, from the executor) on {collective['treasury']}"
    ]
    pid = str(made["id"])
    iwo.ok("node", "advance", "1d1m")
    for voter in ("test1", "test2"):
        iwo.ok("vote", pid, "for", "--account", voter)
    iwo.ok("node", "advance", "3d")
    iwo.ok("queue", pid, "--account", "test7")
    iwo.ok("node", "advance", "1d")

    message = iwo.refused("execute", pid, "--account", "test7", sender="test7")
    assert message == (
        f"proposal #{pid} sends 0.01 ETH with its actions, paid by the account that executes it "
        f"({iwo.addr('test7')}): re-run with --pay-value to pay it"
    )
    before = iwo.balance(collective["treasury"])
    result = iwo.ok("execute", pid, "--pay-value", "--account", "test7")
    assert result.stdout.splitlines()[-1] == f"  {iwo.addr('test7')} paid 0.01 ETH sent by the actions"
    assert iwo.balance(collective["treasury"]) == before + 10**16
