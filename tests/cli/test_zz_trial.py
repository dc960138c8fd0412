def test_trial(iwo, collective):
    print(iwo.text("status"))
    print(iwo.text("collectives"))
    msg = iwo.refused("donate", "0", "--account", "test8", sender="test8")
    print(msg)
    r = iwo.ok("node", "stop")
    print(r.stdout)
