#!/usr/bin/env bash
# `make demo`: a collective's life driven by the `iwo` command line only, on a
# fresh local node that this script starts and stops. Readable, under two minutes.
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

step "Three proposals: a spend, a signal (a rate guideline, by its hash) and an admission"
guideline="$IWO_HOME/rate-guideline-v1.txt"
printf 'Minimum rate: 18 EUR per hour, 0.40 EUR per km, no unpaid waiting time.\n' > "$guideline"
run iwo propose spend --to test9 --amount 0.2 -m "Pay the lawyer 0.2 ETH for the contract review" --account test1
run iwo propose signal --text-file "$guideline" -m "Adopt the minimum rate guideline v1" --account test2
run iwo propose admit test6 -m "Admit Fatima, courier since 2019" --account test3
run iwo proposals show 1

step "Voting opens after a day"
run iwo node advance 1d1m
run iwo vote 1 for --account test1
run iwo vote 1 for --reason "fair price for the review" --account test2
run iwo vote 1 against --account test4
run iwo vote 2 for --account test1
run iwo vote 2 abstain --reason "rate too low for night shifts" --account test4
run iwo vote 3 for --account test1
run iwo vote 3 for --account test2

step "A member with no ETH signs a vote; anyone relays it"
run iwo vote 3 for --sign-only --out "$IWO_HOME/vote-test3.json" --account test3
run iwo relay "$IWO_HOME/vote-test3.json" --account test7

step "The lapsed member's vote is refused (dues did not cover the proposal's snapshot)"
refused iwo vote 1 for --account test5

step "Who voted, how and why"
run iwo proposals votes 1

step "Voting closes; queue; the timelock passes; execute"
run iwo node advance 3d
for id in 1 2 3; do run iwo queue "$id" --account test7; done
run iwo node advance 1d
for id in 1 2 3; do run iwo execute "$id" --account test7; done

step "Where the collective stands"
run iwo status
run iwo proposals list

step "The treasury ledger, from chain events"
run iwo ledger

step "An auditor's check: the books rebuilt from events equal the chain's balances"
run iwo audit
run iwo ledger --csv "$IWO_HOME/ledger.csv" --plot "$IWO_HOME/ledger.png" --json > /dev/null
printf 'ledger exported to %s and %s\n' "$IWO_HOME/ledger.csv" "$IWO_HOME/ledger.png"

step "Members vote from a browser wallet (iwo serve): one more proposal, open now"
run iwo propose signal -m "Meet on Friday to plan the winter rates" --account test4
run iwo node advance 1d1m
printf '\nThis chain is kept in %s. To vote from a browser wallet (test keys in MetaMask, or any wallet):\n' "$IWO_HOME"
printf '  export IWO_HOME=%s; iwo node start; iwo serve --relayer test7 --open\n' "$IWO_HOME"
if [ -n "${IWO_DEMO_SERVE:-}" ]; then run iwo serve --relayer test7 --open; fi
