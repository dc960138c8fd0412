"""`iwo aid …`: mutual aid — its terms, the pool, claims from filing to the last instalment, and the
auditor's view of the pool and of every claim."""

from __future__ import annotations

import click

from ..limits import MAX_MEMO, MAX_REASON
from .base import AMOUNT, COUNT, ID, Out, chain_command, group, plural, when


def _reason(f):
    return click.option(
        "--reason", default="", help=f"Why (logged with the ballot; at most {MAX_REASON} bytes of UTF-8)."
    )(f)


def _evidence(f):
    f = click.option("--evidence-hash", metavar="HEX", help="The evidence's hash, 32 bytes in hex.")(f)
    f = click.option(
        "--evidence",
        type=click.Path(exists=True, dir_okay=False),
        help="A file of evidence: only its sha256 goes on chain (keep the file off-chain).",
    )(f)
    return f


def _fmt(s, asset):
    from .. import assets

    return lambda value: assets.fmt(s, value, asset)


# ---- words ----------------------------------------------------------------------------------------------
def claim_line(r: dict, now: int, fmt) -> str:
    from ..aid import deadline

    what = f"{fmt(r['monthly'])} x {r['months']}" if r["months"] > 1 else f"{fmt(r['monthly'])} once"
    label, at = deadline(r, now)
    next_step = f"{label} {when(at, now)}" if at else label
    tally = f"for {r['votes']['for']} / against {r['votes']['against']}"
    if r["state"] in ("approved", "ended") and r["schedule"]:
        paid = sum(1 for m in r["schedule"] if m["status"] == "paid")
        tally = f"paid {paid} of {len(r['schedule'])} months, {fmt(r['paid'])}"
    return f"#{r['id']:<7} {r['state']:<9} {r['category_text']:<12} {what:<24} {r['claimant']}  {tally}; {next_step}"


def month_line(m: dict, monthly: int, fmt) -> str:
    if m["amount"] is None:
        amount = "month not opened yet"
    elif m["cut"]:
        amount = (
            f"{fmt(m['amount'])} of {fmt(monthly)}, cut to {m['factor']} "
            f"(the month allowed {fmt(m['allowed'])} for {fmt(m['demand'])} asked)"
        )
    else:
        amount = f"{fmt(m['amount'])} (in full)"
    status = {
        "paid": "paid",
        "lapsed": "lapsed (stays in the pool)",
        "due": f"due, withdraw by {when(m['withdraw_by'])}",
        "upcoming": f"from {when(m['from'])}",
    }[m["status"]]
    return f"  {m['month_text']}: {status}: {amount}"


def claim_text(r: dict, now: int, fmt, terms: dict) -> list[str]:
    from ..aid import STATE_WORDS, bps_text, deadline, decision_words

    months = r["months"]
    asks = f"{fmt(r['monthly'])} a month for {months} months" if months > 1 else f"{fmt(r['monthly'])} once"
    lines = [
        f"claim #{r['id']}: {STATE_WORDS[r['state']]} ({r['category_text']})",
        f"claimant   {r['claimant']}",
        f"asks       {asks}, {fmt(r['total'])} in all; terms version {r['terms_version']}",
        f"evidence   {r['evidence'] if int(r['evidence'], 16) else 'no evidence hash'}",
    ]
    if r["awarded_by"]:
        lines.append(f"awarded    by proposal #{r['awarded_by']} ({when(r['filed'], now)})")
    else:
        lines.append(f"filed      {when(r['filed'], now)} (snapshot: the second before)")
        if r["small"]:
            lines.append(
                f"contest    small claim: until {when(r['contest_end'], now)}; objected when "
                f"{terms['min_objections']} members or {bps_text(terms['objection_bps'])} of them object"
            )
        lines.append(
            f"vote       {'if objected, ' if r['small'] else ''}until {when(r['vote_end'], now)}; "
            f"quorum {bps_text(terms['quorum_bps'])} of the members at the snapshot"
        )
    if not r["awarded_by"]:
        lines.append(f"ballots    for {r['votes']['for']}, against {r['votes']['against']} (objections count against)")
    d = r["decision"]
    if d:
        lines.append(f"decision   {decision_words(r)} (block {d['block']})")
        if d["first_month"]:
            lines.append(
                f"           paid from month {d['first_month']}; counted in the member cap as {fmt(r['total'])}"
            )
    else:
        label, at = deadline(r, now)
        lines.append(f"next       {label} {when(at, now) if at else ''}".rstrip())
    if r["ended"]:
        by = f"by proposal #{r['ended']['proposal_id']}" if r["ended"]["proposal_id"] else "as its claimant left"
        lines.append(f"ended      {by}; {plural(r['ended']['months_due'], 'month')} due in all")
    if r["deposit"]:
        state = {"held": "held by the aid contract", "returned": "returned", "kept": "kept in the pool"}
        lines.append(f"deposit    {fmt(r['deposit'])} {state.get(r['deposit_state'], '')}".rstrip())
    if r["ballots"]:
        lines.append("who voted:")
        for b in r["ballots"]:
            kind = "objected" if b.get("objection") else b["support"]
            reason = f' - "{b["reason"]}"' if b["reason"] else ""
            lines.append(f"  {b['member']}  {kind:<8} block {b['block']}{reason}")
    if r["schedule"]:
        lines.append(f"months ({fmt(r['paid'])} paid):")
        lines += [month_line(m, r["monthly"], fmt) for m in r["schedule"]]
    return lines


def register(main: click.Group) -> None:
    @group(main, "aid", "Mutual aid: terms, pool, claims (file, object, vote, settle, withdraw).")
    def aid():
        """Mutual aid: the collective's safety net. Members file claims (category, monthly amount,
        months, an evidence hash); small claims are approved after a contest window unless enough
        members object, larger or objected ones by a vote of the members; payouts are withdrawn
        month by month from the ring-fenced pool, all claims together at most the pool / 6 a
        month (cut pro-rata when they ask more). Terms change only by vote: `iwo propose aid-terms`."""

    @chain_command(aid, "terms", "The terms in force, the pool and this month's limit.", account=False)
    def terms(s, c):
        """Shows the mutual-aid terms in force in words (amounts in the aid asset), the pool, the
        most a month opened now would pay out, and when each version of the terms was voted.
        New terms: `iwo propose aid-terms ... -m TEXT`."""
        from ..aid import terms_view

        def text(d):
            lines = [f"mutual-aid terms, version {d['version']} ({'the defaults' if not d['version'] else 'by vote'}):"]
            lines += [f"  - {line}" for line in d["terms_text"]]
            lines += [
                f"pool {d['pool_text']}; a month opened now pays at most {d['monthly_limit_text']} "
                f"in all; now is {d['month_text']}",
            ]
            lines += [f"  version {ch['version']} adopted by proposal #{ch['proposal']}" for ch in d["changes"]]
            lines.append("change them by vote: iwo propose aid-terms --help")
            return lines

        return Out(terms_view(s, c), text)

    @chain_command(aid, "fund", "Give to the pool, or propose moving free money into it.")
    @click.argument("amount", type=AMOUNT)
    @click.option("--asset", metavar="ETH|TOKEN", help="What to give (default: the asset aid is paid in).")
    @click.option("--memo", default="", help=f"A note kept with the gift (at most {MAX_MEMO} bytes).")
    @click.option(
        "--propose",
        "by_vote",
        is_flag=True,
        help="Instead of giving: propose moving AMOUNT from the treasury's free balance into the pool.",
    )
    @click.option("--message", "-m", "description", help="With --propose: what the proposal is about.")
    def fund(s, c, amount, asset, memo, by_vote, description):
        """Gives AMOUNT to the mutual-aid pool (a donation earmarked for it: it is paid out only as
        aid). With --propose -m TEXT, proposes instead a vote to move AMOUNT of the treasury's free
        balance into the pool (`iwo propose pool --fund` does the same)."""
        from ..aid import asset_of

        chosen = asset or asset_of(s, c)
        if by_vote:
            from ..proposals import pool_move, propose
            from .propose import _created

            if memo:
                raise click.UsageError("--memo goes with a gift, not with --propose (use -m)")
            if not description:
                raise click.UsageError("--propose needs -m TEXT (the proposal's description)")
            return Out(propose(s, c, [pool_move(s, c, amount, chosen, True)], description), _created)
        if description:
            raise click.UsageError("-m goes with --propose; a gift takes --memo")
        from ..treasury import donate

        return Out(
            donate(s, c, chosen, amount, memo, to_pool=True),
            lambda d: f"gave {d['amount_text']} to the mutual-aid pool; the pool holds {d['pool_text']}",
        )

    @chain_command(aid, "claim", "File a claim (says what it will pay and when first).")
    @click.option(
        "--category",
        required=True,
        help="illness, lost-income, equipment, legal, other (or 0-7: those the terms enable).",
    )
    @click.option("--monthly", required=True, type=AMOUNT, help="Amount per month, in the aid asset.")
    @click.option("--months", default="1", show_default=True, type=COUNT, help="Number of months (1: a one-off).")
    @_evidence
    @click.option("--dry-run", is_flag=True, help="Check and say what it would pay and when; send nothing.")
    def claim(s, c, category, monthly, months, evidence, evidence_hash, dry_run):
        """Files a mutual-aid claim for --monthly a month during --months months. First checks every
        rule (good standing, waiting period, one open claim, caps, category) and says what the
        claim will pay and when: how it is decided and by when, the first month, the caps left,
        the deposit and the monthly throttle. Evidence stays off-chain: give the file (its sha256
        is recorded) or its hash."""
        from .. import aid as aids

        plan = aids.plan_claim(s, c, category, monthly, months, aids.evidence_hash(evidence, evidence_hash))
        if dry_run:
            return Out(plan | {"sent": False}, plan["text"] + ["nothing sent (--dry-run)"])
        for line in plan["text"]:
            s.notice(line)
        done = aids.file_claim(s, c, plan)
        return Out(
            done,
            lambda d: (
                f"filed claim #{d['id']} ({aids.STATE_WORDS[d['state']]}); follow it with `iwo aid show {d['id']}`"
            ),
        )

    @chain_command(aid, "object", "Object to a small claim in its contest window.")
    @click.argument("claim_id", type=ID)
    @_reason
    def object_(s, c, claim_id, reason):
        """Objects to CLAIM_ID during its contest window (an Against ballot cast early). When
        enough members object, the claim goes to a vote instead of being approved by silence."""
        from ..aid import object_to

        def text(d):
            sent = "it now goes to a vote" if d["objected"] else "not yet enough to send it to a vote"
            return f"objected to claim #{d['claim']} ({plural(d['objections'], 'objection')}: {sent})"

        return Out(object_to(s, c, claim_id, reason), text)

    @chain_command(aid, "vote", "Vote for or against a claim under vote.")
    @click.argument("claim_id", type=ID)
    @click.argument("support", type=click.Choice(["for", "against"], case_sensitive=False))
    @_reason
    def vote(s, c, claim_id, support, reason):
        """Votes on CLAIM_ID while its vote is open (members eligible when it was filed, one
        ballot each, not the claimant). The aid contract counts the ballots itself."""
        from ..aid import vote as cast

        return Out(
            cast(s, c, claim_id, support, reason),
            lambda d: (
                f"voted {d['support']} on claim #{d['claim']}; now for {d['votes']['for']}, "
                f"against {d['votes']['against']}; the vote ends {when(d['vote_end'])}"
            ),
        )

    @chain_command(aid, "settle", "Record a claim's decision once it is due (anyone).")
    @click.argument("claim_id", type=ID)
    def settle(s, c, claim_id):
        """Records the decision of CLAIM_ID once due: a small claim not objected enough is approved
        when its contest window ends; otherwise the vote's result (approved, denied, or tied when
        For equals Against or the quorum is missed). Anyone may do it."""
        from ..aid import month_text
        from ..aid import settle as record

        def text(d):
            words = {
                "approved": f"approved: paid from {month_text(d['first_month'])}" if d["first_month"] else "approved",
                "denied": "denied" + (": its deposit stays in the pool" if d["deposit_kept"] else ""),
                "tied": "tied (a tie or no quorum): nothing is paid",
            }[d["outcome"]]
            back = (
                f"; the claimant takes back the deposit with `iwo aid reclaim {d['claim']}`"
                if d["deposit_held"]
                else ""
            )
            return f"claim #{d['claim']} {words} (for {d['votes']['for']}, against {d['votes']['against']}){back}"

        return Out(record(s, c, claim_id), text)

    @chain_command(aid, "withdraw", "Withdraw the instalments due on your claim.")
    @click.argument("claim_id", type=ID, required=False)
    @click.option("--dry-run", is_flag=True, help="Say what is due, month by month; send nothing.")
    def withdraw(s, c, claim_id, dry_run):
        """Withdraws every instalment due on CLAIM_ID (default: your latest claim) since the last
        withdrawal, each at its month's factor (cut pro-rata when the month's claims asked more
        than it allowed). Needs good standing; instalments past the unclaimed window lapse."""
        from .. import aid as aids

        plan = aids.plan_withdraw(s, c, claim_id)
        fmt = _fmt(s, plan["asset"])

        def lines(d, verb):
            out = []
            for m in d["months"]:
                if m["status"] == "lapsed":
                    out.append(f"  {m['month_text']}: lapsed (past the unclaimed window): stays in the pool")
                    continue
                note = " (opens with this withdrawal)" if m.get("opens") and "demand" not in m else ""
                if m["amount"] is None:
                    out.append(
                        f"  {m['month_text']}: opens with this withdrawal ({fmt(m['together'])} for these months)"
                    )
                elif m["cut"]:
                    why = (
                        f" (the month allowed {fmt(m['allowed'])} for {fmt(m['demand'])} asked)"
                        if "demand" in m
                        else ""
                    )
                    out.append(
                        f"  {m['month_text']}: {fmt(m['amount'])} of {fmt(d['monthly'])}, cut to {m['factor']}{why}{note}"
                    )
                else:
                    out.append(f"  {m['month_text']}: {fmt(m['amount'])} (in full){note}")
            return [f"claim #{d['claim']}: {verb} {fmt(d['amount'])}"] + out

        if dry_run:
            return Out(plan | {"sent": False}, lines(plan, "would withdraw") + ["nothing sent (--dry-run)"])
        return Out(aids.withdraw(s, c, plan), lambda d: lines(d, "withdrew"))

    @chain_command(aid, "reclaim", "Take back the deposit of an approved or tied claim.")
    @click.argument("claim_id", type=ID, required=False)
    def reclaim(s, c, claim_id):
        """Returns the deposit of CLAIM_ID (default: your latest claim) to its claimant once the
        claim is approved, ended or tied (a denied claim's deposit stays in the pool). Needed
        before filing another claim."""
        from ..aid import reclaim as take

        data = take(s, c, claim_id)
        fmt = _fmt(s, data["asset"])
        return Out(data, lambda d: f"deposit of claim #{d['claim']} returned: {fmt(d['amount'])} to {d['member']}")

    @chain_command(aid, "stop", "Stop the claim of a member who left (anyone).")
    @click.argument("claim_id", type=ID)
    def stop(s, c, claim_id):
        """Stops CLAIM_ID once its claimant no longer holds a card: no instalment after the
        current month. Anyone may do it; a member's claim is ended only by vote (`iwo propose
        aid-end`)."""
        from ..aid import stop as halt

        return Out(
            halt(s, c, claim_id),
            lambda d: (
                f"claim #{d['claim']} stopped ({d['claimant']} left): {plural(d['months_due'], 'month')} due in all"
            ),
        )

    @chain_command(aid, "list", "Claims with their state and what comes next.", account=False)
    @click.option("--open", "open_only", is_flag=True, help="Only undecided claims and claims still paying.")
    @click.option("--member", metavar="ADDR", help="Only this member's claims.")
    def list_(s, c, open_only, member):
        """Lists every claim: state, category, amount, claimant, tally or months paid, and the
        next deadline (contest window, vote, settle, next instalment)."""
        from ..aid import claims

        book = claims(s, c)
        now, fmt = book["now"], _fmt(s, book["asset"])
        rows = list(book["claims"].values())
        if member:
            who = s.address(member, "--member")
            rows = [r for r in rows if r["claimant"] == who]
        if open_only:
            rows = [
                r
                for r in rows
                if r["state"] in ("contest", "voting", "decidable")
                or any(m["status"] in ("due", "upcoming") for m in r["schedule"])
            ]
        data = {"now": now, "asset": book["asset"], "claims": rows}
        return Out(data, lambda d: [claim_line(r, now, fmt) for r in d["claims"]] or ["no claims"])

    @chain_command(aid, "show", "Everything about one claim.", account=False)
    @click.argument("claim_id", type=ID)
    def show(s, c, claim_id):
        """Shows CLAIM_ID in full: what it asks, how and when it is decided, who objected or voted
        and why, the decision, and each month: its factor (the month's allowance over its demand),
        the amount, and whether it was paid, lapsed, is due or is to come."""
        from ..aid import claims, get_claim

        book = claims(s, c)
        claim = get_claim(s, c, claim_id, book)
        fmt = _fmt(s, book["asset"])
        terms = book["terms_at"][claim["terms_version"]]
        return Out(claim, lambda r: claim_text(r, book["now"], fmt, terms))

    @chain_command(aid, "ledger", "The pool's movements and every claim, from events.", account=False)
    @click.option("--to-block", type=COUNT, help="Last block (default: the head).")
    def ledger(s, c, to_block):
        """The auditor's view of mutual aid, from chain events alone: the pool per asset, movement
        by movement with the pool after each (dues shares, earmarked gifts, kept deposits, moves
        by vote, instalments paid), each month's opening (allowance, demand, pro-rata factor) and
        lapsed instalments; then every claim with its decision and its months. `iwo audit`
        reconciles the rebuilt pool with the treasury's."""
        from dataclasses import asdict

        from .. import ledger as ledgers
        from ..aid import decision_words
        from ..registry import log_store
        from .audit import _progress, _target

        book = ledgers.aid_book(s.rpc, log_store(), _target(s, c, ()), to_block, _progress())
        data = {
            "aid": book.target.aid,
            "to_block": book.to_block,
            "pool": {book.assets[a][0]: v for a, v in book.closing.items()},
            "rows": [asdict(r) for r in book.rows],
            "claims": book.claims,
            "months": book.months,
            "flags": book.flags,
        }

        def fmt(value):
            return ledgers.fmt(value, book.assets[book.aid_asset])

        def text(d):
            out = ["pool:"]
            for r in d["rows"]:
                sign = {"in": "+", "out": "-", "note": " "}[r["direction"]]
                amount = r["amount_text"] if r["direction"] != "note" else ""
                out.append(
                    f"  {when(r['time'])}  block {r['block']:>6}  {sign} {amount:>24}  {r['what']}"
                    + (f"  (pool {r['pool_text']})" if r["direction"] != "note" else "")
                    + ("  [FLAGGED]" if r["flagged"] else "")
                )
            out.append("  pool now: " + ", ".join(ledgers.fmt(v, book.assets[a]) for a, v in book.closing.items()))
            out.append("claims:")
            for r in d["claims"]:
                out.append(
                    f"  #{r['id']} {r['category_text']}, {fmt(r['monthly'])} x {r['months']} to {r['claimant']}: "
                    + decision_words(r)
                    + (
                        f"; ended by proposal #{r['ended']['proposal_id']}"
                        if r["ended"] and r["ended"]["proposal_id"]
                        else ""
                    )
                    + ("; stopped, the claimant left" if r["ended"] and not r["ended"]["proposal_id"] else "")
                )
                out += ["  " + month_line(m, r["monthly"], fmt) for m in r["schedule"]]
            out += [f"FLAG: {f}" for f in d["flags"]]
            return out

        return Out(data, text)
