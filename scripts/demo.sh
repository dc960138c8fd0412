#!/usr/bin/env bash
# `make demo`: a collective's life driven by the `iwo` command line only, on a
# fresh local node that this script starts and stops: governance, adopted documents, the rate
# board, the work escrow (paid by silence; disputed and ruled) and mutual aid. Readable.
set -euo pipefail

export IWO_HOME="${IWO_HOME:-$(mktemp -d -t iwo-demo.XXXXXX)}"
cleanup() { iwo node stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

bold=$(tput bold 2>/dev/null || true); plain=$(tput sgr0 2>/dev/null || true)
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; "$@"; }
refused() { printf '%s$ %s%s\n' "$bold" "$*" "$plain"; if "$@"; then echo "expected a refusal" >&2; exit 1; fi; }

step "A local chain for the demo (state in $IWO_HOME)"
run iwo node start

step "Five couriers create their collective in one transaction (test accounts 1-5)"
run iwo create "Riders Collective" --symbol RIDE \
    --founder test1 --founder test2 --founder test3 --founder test4 --founder test5 \
    --dues 0.01 --period 30d --grace 7d --quorum 25% --voting-delay 1d --voting-period 3d --timelock 1d \
    --account test0

step "Four founders pay three months of dues; the fifth does not; a supporter donates"
for i in 1 2 3 4; do run iwo dues pay --periods 3 --account "test$i"; done
run iwo donate 1 --memo "solidarity fund" --account test8

step "Eight days later the fifth founder's grace has run out"
run iwo node advance 8d
run iwo dues status

step "The founders' first decisions (one live proposal per member): a spend, a rate guideline, an admission, a model contract"
guideline="$IWO_HOME/rate-guideline-v1.txt"
printf 'Minimum rate: 18 EUR per hour, 0.40 EUR per km, no unpaid waiting time.\n' > "$guideline"
template="$IWO_HOME/delivery-contract.txt"
printf 'Delivery contract: deliveries as listed in the order; 14 days to review, then paid.\n' > "$template"
run iwo propose spend --to test9 --amount 0.2 -m "Pay the lawyer 0.2 ETH for the contract review" --account test1
run iwo propose adopt "$guideline" --title "Minimum rate guideline" --kind rate-guideline \
    -m "Adopt the minimum rate guideline v1" --account test2
run iwo propose admit test6 -m "Admit Fatima, courier since 2019" --account test3
run iwo propose adopt "$template" --title "Delivery contract" --kind contract-template \
    -m "Adopt our model delivery contract" --account test4
run iwo proposals show 1

step "Voting opens after a day"
run iwo node advance 1d1m
run iwo vote 1 for --account test1
run iwo vote 1 for --reason "fair price for the review" --account test2
run iwo vote 1 against --account test4
run iwo vote 2 for --account test1
run iwo vote 2 abstain --reason "rate too low for night shifts" --account test4
run iwo vote 3 for --account test1
run iwo vote 4 for --account test1
run iwo vote 4 for --account test2

step "A member with no ETH signs a vote; anyone relays it"
run iwo vote 3 for --sign-only --out "$IWO_HOME/vote-test3.json" --account test3
run iwo relay "$IWO_HOME/vote-test3.json" --account test7

step "The lapsed member's vote is refused (dues did not cover the proposal's snapshot)"
refused iwo vote 1 for --account test5

step "Who voted, how and why"
run iwo proposals votes 1

step "Voting closes; queue; the timelock passes; execute"
run iwo node advance 3d
for id in 1 2 3 4; do run iwo queue "$id" --account test7; done
run iwo node advance 1d
for id in 1 2 3 4; do run iwo execute "$id" --account test7; done

step "Adopted documents: anyone checks a file against what the members adopted"
run iwo docs list
run iwo docs verify "$template"
printf 'Delivery contract: 60 days to review.\n' > "$IWO_HOME/edited-contract.txt"
refused iwo docs verify "$IWO_HOME/edited-contract.txt"

step "The new member pays dues; a second round: mutual-aid terms and the public rate board"
run iwo dues pay --periods 3 --account test6
run iwo propose aid-terms --claim-cap 1.5 --member-cap 2 --auto-approve 0.3 --min-objections 2 --objection-share 50% \
    -m "Our first mutual-aid terms: small claims approved unless two members object" --account test1
run iwo propose rate-category delivery -m "Publish members' delivery rates" --account test2
run iwo propose rate-cap --asset ETH --max 1 -m "Rate asks in ETH, up to 1 ETH per unit" --account test3
run iwo node advance 1d1m
for id in 5 6 7; do for who in test1 test2 test6; do run iwo vote "$id" for --account "$who"; done; done
run iwo node advance 3d
for id in 5 6 7; do run iwo queue "$id" --account test7; done
run iwo node advance 1d
for id in 5 6 7; do run iwo execute "$id" --account test7; done

step "Five members post what they ask per hour of delivery work"
asks="test1:0.021 test2:0.018 test3:0.025 test4:0.02 test6:0.019"
for pair in $asks; do run iwo rates post delivery "${pair#*:}" --unit hour --account "${pair%%:*}"; done
step "Published only as an aggregate of at least five members (median and spread; no one's own ask)"
run iwo rates delivery

step "A client (test7, not a member) hires a member through the collective's escrow, on the adopted contract"
run iwo job create --worker test1 --milestone 0.5@20d --terms "$template" --category delivery --unit hour \
    --quantity 25 --account test7
run iwo job deliver 1 --account test1
refused iwo job release 1 --account test9
step "The client stays silent for the 14-day review window: anyone releases the pay (silence means payment)"
run iwo node advance 14d1m
run iwo job release 1 --account test9
run iwo job review 1 --rating 5 --account test7
run iwo job review 1 --rating 4 --account test1

step "A second job is disputed by the client, paying the 2% dispute fee"
run iwo job create --worker test1 --milestone 1@20d --terms "$template" --account test7
run iwo job deliver 2 --account test1
run iwo job dispute 2 --account test7
step "Three blocks later anyone draws a panel of three members (never the worker or the client)"
for _ in 1 2 3 4; do iwo node advance 1s > /dev/null; done
run iwo panel draw 2 --account test9
step "Each panelist seals a split (the worker's share), then reveals it a day later"
panel_try() {  # the panel is random: each candidate tries, the one not drawn is told so
    printf '%s$ iwo panel %s%s\n' "$bold" "$*" "$plain"
    iwo panel "$@" 2>&1 | sed 's/^Error: //' || true
}
for pair in test2:60% test3:70% test4:80% test6:75%; do
    panel_try commit 2 --split "${pair#*:}" --account "${pair%%:*}"
done
run iwo node advance 1d
for who in test2 test3 test4 test6; do panel_try reveal 2 --account "$who"; done
step "Nobody appeals within a day: anyone applies the panel's median"
run iwo node advance 2d
run iwo panel settle 2 --account test9
run iwo job show 2
run iwo reputation test1
run iwo ledger --escrow

step "Mutual aid: dues for three more months (a share of each payment goes to the aid pool); a supporter tops the pool up to 3 ETH"
for i in 1 2 3 4; do run iwo dues pay --periods 3 --account "test$i"; done
topup=$(iwo aid terms --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(max(0, 3 * 10**18 - int(d["pool"])) / 10**18)')
run iwo aid fund "$topup" --memo "mutual aid" --account test8
run iwo aid terms

to_next_month() {  # to the first hour of the next aid month (months are 30 days since 1970)
    run iwo node advance "$(iwo aid terms --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["next_month_from"] - d["now"] + 3600)')"
}
step "At the start of an aid month, two members ask for help; the lapsed member is refused"
to_next_month
run iwo aid claim --category illness --monthly 0.15 --months 2 --dry-run --account test2
run iwo aid claim --category illness --monthly 0.15 --months 2 --account test2
run iwo aid claim --category lost-income --monthly 0.6 --months 2 --account test3
refused iwo aid claim --category legal --monthly 0.1 --account test5

step "One objection does not stop the small claim; the members vote on the larger one"
run iwo aid object 65537 --reason "I saw her at work last week" --account test4
run iwo aid vote 131073 for --reason "she lost her main client" --account test1
run iwo aid vote 131073 for --account test2
run iwo aid vote 131073 against --reason "the pool is small" --account test4
run iwo aid list

step "Three days on, the small claim is approved by silence; a day later, the vote approves the larger one"
run iwo node advance 3d
run iwo aid settle 65537 --account test7
run iwo node advance 1d
run iwo aid settle 131073 --account test7

step "Next month: the 3 ETH pool allows 0.5 ETH (pool / 6) for 0.75 ETH asked, so each claim is cut to 2/3"
to_next_month
run iwo aid withdraw --account test2
run iwo aid withdraw --account test3
refused iwo aid withdraw --account test2

step "A supporter refills the pool; the month after, both claims are paid in full"
run iwo aid fund 2 --memo "winter solidarity" --account test8
to_next_month
run iwo aid withdraw --account test2
run iwo aid withdraw --account test3
run iwo aid show 131073
run iwo aid ledger

step "Where the collective stands"
run iwo status
run iwo proposals list

step "The treasury ledger, from chain events (dues, gifts, escrow fees, the aid pool)"
run iwo ledger

step "An auditor's check: treasury, aid pool and escrow rebuilt from events equal the chain's balances"
run iwo audit
run iwo ledger --csv "$IWO_HOME/ledger.csv" --plot "$IWO_HOME/ledger.png" --json > /dev/null
printf 'ledger exported to %s and %s\n' "$IWO_HOME/ledger.csv" "$IWO_HOME/ledger.png"

step "Members vote from a browser wallet (iwo serve): one more proposal, open now"
run iwo propose signal -m "Meet on Friday to plan the winter rates" --account test4
run iwo aid claim --category equipment --monthly 0.2 --months 2 --account test4
run iwo node advance 1d1m
printf '\nThis chain is kept in %s. To vote from a browser wallet (test keys in MetaMask, or any wallet):\n' "$IWO_HOME"
printf '  export IWO_HOME=%s; iwo node start; iwo serve --relayer test7 --open\n' "$IWO_HOME"
if [ -n "${IWO_DEMO_SERVE:-}" ]; then run iwo serve --relayer test7 --open; fi
