"""`iwo job …`, `iwo panel …`, `iwo reputation`: paid work through the collective's escrow."""

from __future__ import annotations

import click

from ..limits import MAX_MILESTONES, MAX_RATING
from .base import AMOUNT, COUNT, DURATION, ID, PERCENT, Out, chain_command, group, plural, when


def _pct(bps: int) -> str:
    return f"{bps / 100:g}%"


def _file_or_hash(name: str, what: str, file_help: str):
    """`--NAME FILE` (its sha256 is recorded) or `--NAME-hash SHA256`, as `NAME_file`/`NAME_hash`."""

    def decorate(f):
        f = click.option(f"--{name}-hash", metavar="SHA256", help=f"The sha256 of {what}, instead of --{name}.")(f)
        return click.option(f"--{name}", f"{name}_file", type=click.Path(exists=True, dir_okay=False), help=file_help)(
            f
        )

    return decorate


def _milestone_option(f):
    return click.option(
        "--milestone",
        "number",
        type=COUNT,
        help="Which milestone, from 1 (may be left out when the job has one).",
    )(f)


def _new_milestones(f):
    return click.option(
        "--milestone",
        "milestones",
        multiple=True,
        metavar="AMOUNT@DUE",
        help="A funded milestone: its amount and delivery deadline, as a duration from now or a UTC "
        f"date, e.g. 0.5@30d or 120@2027-01-31 (repeat: 1 to {MAX_MILESTONES} per job).",
    )(f)


def _deferred(d: dict) -> list[str]:
    return [
        f"  {e['account']} refused the payment: it is credited; withdraw it with "
        f"`iwo job withdraw --for {e['account']}`"
        for e in d.get("deferred", [])
    ]


def _listed(milestones: list[dict]) -> list[str]:
    return [f"  milestone {m['milestone']}: {m['amount_text']}, due {when(m['deadline'])}" for m in milestones]


def _created(d: dict) -> list[str]:
    lines = [
        f"created job #{d['job_id']}: {plural(len(d['milestones']), 'milestone')}, {d['total_text']} held in the "
        f"escrow for the worker {d['worker']}"
    ]
    lines += _listed(d["milestones"])
    lines.append(
        f"  review window {d['review_window_text']} after each delivery; the collective's fee "
        f"{_pct(d['fee_bps'])} of each release"
    )
    lines.append(f"  terms: {d['terms_text']}")
    if d["category"]:
        amount = (
            f", {d['quantity'] / 1000:g} {d['unit']}" if d["quantity"] else (f" per {d['unit']}" if d["unit"] else "")
        )
        lines.append(f"  category {d['category']}{amount}")
    return lines


def _released(d: dict) -> list[str]:
    how = "by silence (the review window had passed)" if d["by_silence"] else "by the client"
    rest = f"{d['remaining_text']} remains in it" if d["remaining"] else "the milestone is settled"
    return [
        f"released {d['amount_text']} of milestone {d['milestone']} of job #{d['job_id']} {how}: "
        f"{d['to_worker_text']} to the worker {d['worker']}, fee {d['fee_text']} to the treasury; {rest}"
    ] + _deferred(d)


def _job_text(d: dict) -> list[str]:
    state = "ended" if d["ended"] else "open"
    lines = [
        f"job #{d['job_id']} ({state}): client {d['client']} -> worker {d['worker']}",
        f"  funded {d['funded_text']}, held now {d['held_text']}; created {when(d['created_time'])}",
        f"  terms: {d['terms_text']}",
    ]
    if d["category"] or d["unit"]:
        amount = f"{d['quantity'] / 1000:g} {d['unit']}" if d["quantity"] else d["unit"] or "-"
        lines.append(f"  category {d['category'] or '-'}, {amount}")
    lines.append(
        f"  fee {_pct(d['fee_bps'])} of releases; review window {d['review_window_text']}; dispute fee "
        f"{_pct(d['dispute_fee_bps'])}; panel of {d['panel_size']}; without a ruling {_pct(d['default_split'])} "
        "to the worker"
    )
    for m in d["milestones"]:
        held = f", {m['remaining_text']} held" if m["remaining"] and m["remaining"] != m["amount"] else ""
        lines.append(f"  milestone {m['milestone']}: {m['amount_text']}, {m['stage']}{held}")
        for step in m["history"]:
            lines.append(f"    {when(step['time'])}  {step['what']}")
        dispute = m["dispute"]
        if dispute and dispute["panel"] and dispute["settled"] is None:
            seats = ", ".join(
                f"{p}"
                + (" (revealed)" if p in dispute["revealed"] else " (sealed)" if p in dispute["committed"] else "")
                for p in dispute["panel"]
            )
            lines.append(f"    panel: {seats}")
        if m["stage"] != "settled":
            lines.append(f"    next: {m['next']}")
    for r in d["reviews"]:
        who, whom = ("the client", "the worker") if r["by_client"] else ("the worker", "the client")
        lines.append(f"  review: {who} rated {whom} {r['rating']}/{MAX_RATING} on {when(r['time'])}")
    if d["ended"] and not (d["client_reviewed"] and d["worker_reviewed"]):
        missing = [side for side in ("client", "worker") if not d[f"{side}_reviewed"]]
        lines.append(f"  reviews still open to the {' and the '.join(missing)} (iwo job review {d['job_id']})")
    return lines


def register(main: click.Group) -> None:
    @group(main, "job", "Paid work through the collective's escrow: create, deliver, release, dispute.")
    def job():
        """Jobs in the collective's work escrow. A client (anyone) funds milestones for a member in
        good standing; the worker delivers; the client releases, or disputes within the review
        window; after the window anyone releases the milestone to the worker (silence means
        payment). Milestones are numbered from 1."""

    @chain_command(job, "create", "Fund a job for a member (you are the client).")
    @click.option("--worker", required=True, metavar="ADDR", help="The member doing the work (in good standing).")
    @_new_milestones
    @click.option("--asset", default="ETH", show_default=True, metavar="ETH|TOKEN", help="What the job pays in.")
    @_file_or_hash(
        "terms",
        "the agreed text",
        "The agreed text: its sha256 is recorded (ideally a contract template the collective adopted).",
    )
    @click.option("--category", help="Kind of work, for the collective's paid-rate statistics (e.g. translation).")
    @click.option("--unit", help="Unit of work (hour, word, page, project, …).")
    @click.option("--quantity", metavar="N", help="How many units (up to 3 decimals), with --unit.")
    @click.option(
        "--review-window",
        type=DURATION,
        help="Time the client has after each delivery (1d to 60d; default: the collective's, 14d unless voted).",
    )
    def job_create(s, c, worker, milestones, asset, terms_file, terms_hash, category, unit, quantity, review_window):
        """Creates a job and funds every milestone: ETH is sent with it, a token is approved first.
        The --account is the client. Says whether the terms are a contract template the
        collective adopted, and warns when they are not."""
        from ..escrow import create

        data = create(
            s, c, worker, asset, list(milestones), terms_file, terms_hash, category, unit, quantity, review_window
        )
        for line in data["warnings"]:
            click.echo(f"warning: {line}", err=True)
        return Out(data, _created)

    def _add(s, c, job_id, milestones):
        from ..escrow import add

        return Out(
            add(s, c, job_id, list(milestones)),
            lambda d: (
                [
                    f"added {plural(len(d['milestones']), 'milestone')} to job #{d['job_id']} (now {d['count']}), "
                    f"funded with {d['total_text']}:"
                ]
                + _listed(d["milestones"])
            ),
        )

    @chain_command(job, "add", "Add funded milestones to a job (the client).")
    @click.argument("job_id", type=ID)
    @_new_milestones
    def job_add(s, c, job_id, milestones):
        """Adds milestones to JOB_ID, each funded as it is added (ETH sent, or a token approved
        first). Only the client, while the worker is in good standing and the job has not been
        reviewed."""
        return _add(s, c, job_id, milestones)

    @chain_command(job, "fund", "Fund more work on a job (same as `iwo job add`).")
    @click.argument("job_id", type=ID)
    @_new_milestones
    def job_fund(s, c, job_id, milestones):
        """Same as `iwo job add`: the escrow has no separate funding step, every milestone is funded
        when it is created (with the job, or added later by the client)."""
        return _add(s, c, job_id, milestones)

    @chain_command(job, "deliver", "Deliver a milestone (the worker).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @_file_or_hash("evidence", "the evidence", "The delivered work or its proof: its sha256 is recorded.")
    def job_deliver(s, c, job_id, number, evidence_file, evidence_hash):
        """Marks a milestone delivered (by its deadline), with an optional evidence hash. The
        client's review window starts: once it ends without a dispute, anyone may release the
        milestone to the worker."""
        from ..escrow import deliver

        return Out(
            deliver(s, c, job_id, number, evidence_file, evidence_hash),
            lambda d: (
                f"delivered milestone {d['milestone']} of job #{d['job_id']} ({d['remaining_text']} held); the "
                f"client may release or dispute until {when(d['review_end'])}; after that anyone may release it "
                f"to the worker: {d['release_command']}"
            ),
        )

    @chain_command(job, "release", "Pay a milestone to the worker (the client; anyone after review).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @click.option("--amount", type=AMOUNT, help="Release only this much (the client; default: all it holds).")
    def job_release(s, c, job_id, number, amount):
        """Pays a milestone to the worker, less the collective's fee (to the treasury). The client
        releases whole or part at any time. Anyone else releases a delivered milestone whole once
        its review window has passed without a dispute: silence means payment."""
        from ..escrow import release

        return Out(release(s, c, job_id, number, amount), _released)

    @chain_command(job, "refund", "Give a milestone back to the client (the worker).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @click.option("--amount", type=AMOUNT, help="Refund only this much (default: all it holds).")
    def job_refund(s, c, job_id, number, amount):
        """The worker returns a milestone, whole or part, to the client, at any time before it is
        disputed or settled."""
        from ..escrow import refund

        return Out(
            refund(s, c, job_id, number, amount),
            lambda d: (
                [
                    f"refunded {d['amount_text']} of milestone {d['milestone']} of job #{d['job_id']} to the client "
                    f"{d['client']}; "
                    + (f"{d['remaining_text']} remains in it" if d["remaining"] else "the milestone is settled")
                ]
                + _deferred(d)
            ),
        )

    @chain_command(job, "reclaim", "Return an undelivered milestone to the client.")
    @click.argument("job_id", type=ID)
    @_milestone_option
    def job_reclaim(s, c, job_id, number):
        """Returns a milestone that was not delivered by its deadline to the client (anyone may,
        after the deadline; the client may earlier once the worker has left the collective)."""
        from ..escrow import reclaim

        return Out(
            reclaim(s, c, job_id, number),
            lambda d: (
                [
                    f"returned {d['amount_text']} of milestone {d['milestone']} of job #{d['job_id']} to the client "
                    f"{d['client']} ("
                    + ("the worker left the collective" if d["worker_left"] else "not delivered by its deadline")
                    + ")"
                ]
                + _deferred(d)
            ),
        )

    @chain_command(job, "dispute", "Dispute a delivered milestone (the client, paying the dispute fee).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    def job_dispute(s, c, job_id, number):
        """The client disputes a delivered milestone within its review window, paying the dispute
        fee fixed when the job was created (the worker pays nothing). A panel of members is then
        drawn; their median split rules unless a party appeals to the whole collective."""
        from ..escrow import dispute

        return Out(
            dispute(s, c, job_id, number),
            lambda d: [
                f"disputed milestone {d['milestone']} of job #{d['job_id']} ({d['amount_text']} at stake), paying "
                f"the dispute fee of {d['dispute_fee_text']}",
                f"  a panel of {d['panel_size']} can be drawn by anyone once block {d['draw_block'] + 1} is mined: "
                f"{d['draw_command']}",
                f"  panelists seal their votes until {when(d['commit_end'])} and reveal them until "
                f"{when(d['reveal_end'])}",
                f"  either party may appeal to the collective until {when(d['appeal_end'])}; without an appeal "
                "the ruling is final then",
            ],
        )

    @chain_command(job, "show", "A job: terms, milestones, deadlines, disputes, reviews.", account=False)
    @click.argument("job_id", type=ID)
    def job_show(s, c, job_id):
        """Shows a job: client, worker, terms (and whether they are a contract template the
        collective adopted), each milestone's state, history and next deadline in words, disputes
        and their panels, reviews."""
        from ..escrow import show

        return Out(show(s, c, job_id), _job_text)

    @chain_command(job, "list", "List the collective's jobs.", account=False)
    @click.option("--client", metavar="ADDR", help="Only jobs of this client.")
    @click.option("--worker", metavar="ADDR", help="Only jobs of this worker.")
    @click.option("--open", "only", flag_value="open", help="Only jobs with money still held.")
    @click.option("--ended", "only", flag_value="ended", help="Only jobs whose every milestone is settled.")
    def job_list(s, c, client, worker, only):
        """Lists the jobs of the collective's escrow (from its events): state, milestones settled,
        funded and still held, client and worker."""
        from ..escrow import jobs

        return Out(
            jobs(s, c, client, worker, only),
            lambda rows: (
                [
                    f"#{r['job_id']:<4} {'ended' if r['ended'] else 'open':<6} {r['settled']}/{r['milestones']} settled  "
                    f"{r['funded_text']} funded, {r['held_text']} held  client {r['client']}  worker {r['worker']}"
                    + (f"  {r['category']}" if r["category"] else "")
                    for r in rows
                ]
                or ["no jobs"]
            ),
        )

    @chain_command(job, "withdraw", "Withdraw payments the escrow credited (refused earlier).")
    @click.option("--for", "creditor", metavar="ADDR", help="Whose credit to pay out (default: the --account).")
    @click.option("--asset", metavar="ETH|TOKEN", help="Only this asset (default: every asset credited).")
    def job_withdraw(s, c, creditor, asset):
        """Pays out what the escrow credited to an account because it refused a payment (a contract
        that rejected ETH, a token that blocked the transfer). Anyone may call it for anyone: the
        money only goes to the creditor."""
        from ..escrow import withdraw

        return Out(
            withdraw(s, c, creditor, asset),
            lambda d: [f"paid {p['amount_text']} credited to {d['account']} (tx {p['tx']})" for p in d["paid"]],
        )

    @chain_command(job, "review", "Review the other party once the job has ended.")
    @click.argument("job_id", type=ID)
    @click.option("--rating", required=True, type=COUNT, help=f"1 (worst) to {MAX_RATING} (best).")
    @_file_or_hash("text", "the review's text", "The review's text (kept off-chain): its sha256 is recorded.")
    def job_review(s, c, job_id, rating, text_file, text_hash):
        """The client reviews the worker, or the worker the client, once every milestone of the job is
        settled (released, refunded, reclaimed or ruled): once per side, never before."""
        from ..escrow import review

        def text(d):
            whom = "worker" if d["by_client"] else "client"
            sha = f" (text sha256 {d['text_hash'][2:14]}…)" if int(d["text_hash"], 16) else ""
            return f"reviewed the {whom} {d['reviewee']} of job #{d['job_id']}: {d['rating']}/{MAX_RATING}{sha}"

        return Out(review(s, c, job_id, rating, text_file, text_hash), text)

    # ---- panels ----------------------------------------------------------------------------------------
    @group(main, "panel", "Disputes: draw the panel, seal and reveal votes, appeal, settle.")
    def panel():
        """A disputed milestone is judged by a panel of members drawn at random (never the worker or
        the client): each seals a split (the worker's share), then reveals it; the median of a
        majority rules, else the job's default rule. Either party may appeal to the whole
        collective, whose executed proposal overrides the split."""

    @chain_command(panel, "draw", "Draw a dispute's panel (anyone).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    def panel_draw(s, c, job_id, number):
        """Draws the panel once the dispute's draw block is mined (anyone, within 256 blocks of it and
        before commits close): reads that block's header from the node and names the member holding
        each roll index the draw visits. A draw block out of reach is re-armed instead."""
        from ..escrow import draw

        def text(d):
            if d["rearmed"]:
                return (
                    f"the draw block {d['draw_block']} fell out of reach (over 256 blocks ago): re-armed the draw "
                    f"to block {d['new_draw_block']}; draw again once it is mined"
                )
            seats = ", ".join(f"{p} (seat {i})" for i, p in enumerate(d["panel"], 1)) or "nobody eligible"
            return [
                f"drew the panel of milestone {d['milestone']} of job #{d['job_id']} after "
                f"{plural(d['attempts'], 'attempt')}: {seats}",
                f"  panelists seal a vote until {when(d['commit_end'])} (iwo panel commit {d['job_id']} --split "
                f"PERCENT), then reveal it until {when(d['reveal_end'])} (iwo panel reveal {d['job_id']})",
            ]

        return Out(draw(s, c, job_id, number), text)

    @chain_command(panel, "commit", "Seal your vote as a panelist.")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @click.option("--split", required=True, type=PERCENT, help="The worker's share, e.g. 60% (0% to 100%).")
    @click.option("--salt", metavar="HEX", help="Your secret (32 bytes of hex; default: a fresh random one).")
    @click.option(
        "--no-keep",
        is_flag=True,
        help="Do not keep the split and salt in the data folder: print the salt (you need it to reveal).",
    )
    def panel_commit(s, c, job_id, number, split, salt, no_keep):
        """Seals your vote (the worker's share of the milestone) with a secret salt, before commits
        close. The split and salt are kept in the data folder (panel-votes.json) so that
        `iwo panel reveal` finds them; a new commit replaces the previous one."""
        from ..escrow import commit

        def text(d):
            again = "replaced your sealed vote" if d["replaced"] else "sealed your vote"
            kept = (
                f"split and salt kept in {d['kept_in']}" if d["kept_in"] else f"keep this salt to reveal: {d['salt']}"
            )
            return (
                f"{again} on milestone {d['milestone']} of job #{d['job_id']} (seat {d['seat']}): "
                f"{_pct(d['split'])} to the worker; {kept}; reveal between {when(d['commit_end'])} and "
                f"{when(d['reveal_end'])}: iwo panel reveal {d['job_id']}"
            )

        return Out(commit(s, c, job_id, number, split, salt, not no_keep), text)

    @chain_command(panel, "reveal", "Reveal your sealed vote.")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @click.option("--split", type=PERCENT, help="The split you sealed (default: the one kept by commit).")
    @click.option("--salt", metavar="HEX", help="The salt you sealed it with (with --split).")
    def panel_reveal(s, c, job_id, number, split, salt):
        """Opens your sealed vote once commits have closed and before reveals close, with the split
        and salt kept by `iwo panel commit` (or given)."""
        from ..escrow import reveal

        return Out(
            reveal(s, c, job_id, number, split, salt),
            lambda d: (
                f"revealed your vote on milestone {d['milestone']} of job #{d['job_id']}: {_pct(d['split'])} to the "
                f"worker ({d['revealed']} of {d['panel_size']} revealed; reveals close {when(d['reveal_end'])})"
            ),
        )

    @chain_command(panel, "appeal", "Appeal the panel's outcome to the whole collective (a party).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    def panel_appeal(s, c, job_id, number):
        """The client or the worker appeals to the whole collective within the appeal window after
        the reveals. A proposal calling the escrow's rule_on_appeal (`iwo panel rule`) must then be
        executed before the appeal deadline; otherwise the panel's outcome stands."""
        from ..escrow import appeal

        def text(d):
            median = "" if d["panel_median"] is None else f" (the panel's median: {_pct(d['panel_median'])})"
            return (
                f"appealed milestone {d['milestone']} of job #{d['job_id']} to the collective{median}: a proposal "
                f"ruling on it must be executed before {when(d['deadline'])} ({d['rule_command']}); otherwise "
                "the panel's outcome stands"
            )

        return Out(appeal(s, c, job_id, number), text)

    @chain_command(panel, "rule", "Propose the collective's ruling on an appeal.")
    @click.argument("job_id", type=ID)
    @_milestone_option
    @click.option("--split", required=True, type=PERCENT, help="The worker's share the collective decides.")
    @click.option("--message", "-m", "description", required=True, help="What the proposal is about.")
    def panel_rule(s, c, job_id, number, split, description):
        """Proposes the collective's ruling on an appealed dispute: a proposal whose action calls the
        escrow's rule_on_appeal with the worker's share. Once executed (before the appeal
        deadline), anyone settles the dispute by it."""
        from ..escrow import rule

        return Out(
            rule(s, c, job_id, number, split, description),
            lambda p: (
                [
                    f"proposal #{p['id']} created ({p['state']}); voting opens {when(p['vote_start'])}, ends "
                    f"{when(p['vote_end'])}; it must be executed before {when(p['deadline'])}"
                ]
                + [f"  - {line}" for line in p["explained"]]
            ),
        )

    @chain_command(panel, "settle", "Pay out a final dispute (anyone).")
    @click.argument("job_id", type=ID)
    @_milestone_option
    def panel_settle(s, c, job_id, number):
        """Pays out a dispute once final (anyone): by the collective's ruling on appeal, else the
        median of the panel when a majority revealed, else the job's default rule. Panelists who
        revealed share the dispute fee; no-shows are recorded."""
        from ..escrow import settle

        def text(d):
            lines = [
                f"settled the dispute on milestone {d['milestone']} of job #{d['job_id']} by {d['ruling_text']}: "
                f"{_pct(d['split'])} to the worker",
                f"  {d['worker_amount_text']} to the worker {d['worker']}, {d['client_amount_text']} to the client "
                f"{d['client']}, fee {d['fee_text']} to the treasury",
            ]
            if d["panelists_paid"]:
                lines.append(
                    f"  {d['panel_share_text']} to each panelist who revealed: {', '.join(d['panelists_paid'])}"
                )
            if d["no_shows"]:
                lines.append(f"  no-shows (recorded): {', '.join(d['no_shows'])}")
            return lines + _deferred(d)

        return Out(settle(s, c, job_id, number), text)

    # ---- reputation ------------------------------------------------------------------------------------
    @chain_command(main, "reputation", "A client's or a member's record in the collective's escrow.", account=False)
    @click.argument("address")
    def reputation(s, c, address):
        """Shows ADDRESS's record from the escrow's events: as a client and as a worker, jobs, how
        the money was paid (released by the client, by silence, after a dispute), what went back
        to the client, disputes lost, the average rating received with its count, and panel service."""
        from ..reputation import reputation as record
        from ..reputation import text

        return Out(record(s, c, s.address(address, "address")), text)
