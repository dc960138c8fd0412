// The collective's page: proposals in words, who may vote and why, and a vote signed in the
// member's wallet (EIP-712, built by the server) that the relayer sends, or sent from the wallet.
import { discover, ask, onChain, Silent } from './wallet.js';

const $ = id => document.getElementById(id);
const el = (tag, props = {}, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const sleep = ms => new Promise(r => setTimeout(r, ms));
const cap = w => w[0].toUpperCase() + w.slice(1);
let S, me, wallet, pick, busy = false, E = {};
const T = () => S.wallet_timeout_s;

function say(text, bad = false) {
  const s = $('status');
  s.textContent = text;
  s.className = bad ? 'bad' : '';
}

async function api(path, body) {
  let r;
  try {
    r = await fetch('/api/' + path, body && { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new Error('Cannot reach the iwo server (the network is down, or `iwo serve` stopped). Nothing was sent.');
  }
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(j.error || `The server answered ${r.status}. Nothing was sent.`);
  return j;
}

function words(e) {
  if (e instanceof Silent) return `Your wallet did not answer within ${T()} s: nothing was sent. Open your wallet to see whether it is waiting for you, then try again.`;
  if (e.code === 4001) return 'You declined: nothing was sent.';
  if (e.code === 'chain' || e.code === 4902) return `Your wallet is not on chain ${S.network.chain_id} (${S.network.name}): switch it there (or add that network), then try again. Nothing was sent.`;
  if (e.code === -32002) return 'Your wallet is already asking you something: open it and answer. Nothing was sent.';
  return e.message || String(e);
}

async function load(after = 0) {
  S = await api('state' + (after ? '?after=' + after : ''));
  if (me) E = (await api('eligibility/' + me)).proposals;
  render();
}

function render() {
  $('name').textContent = S.name;
  document.title = `Vote — ${S.name}`;
  const t = S.treasury.map(b => b.balance_text + (b.reserved_for_benefits != 0 ? ` (${b.reserved_text} reserved)` : '')).join(', ');
  $('facts').textContent = `${S.members} members · treasury ${t} · dues ${S.dues.amount_text} per ${S.dues.period_text} · chain ${S.network.chain_id}, block ${S.block}`;
  const r = S.relayer;
  $('relayer').textContent = r ? r.message + (r.problem ? ` (${r.problem})` : '') : 'This page relays no votes: vote from your wallet (you pay the gas).';
  $('relayer').className = r && r.level === 'ok' ? '' : 'warn';
  $('open').replaceChildren(...(S.open.length ? S.open.map(card) : [el('p', { textContent: 'No proposal is open.' })]));
  $('recent').replaceChildren(...(S.recent.length ? S.recent.map(card) : [el('p', { textContent: 'None yet.' })]));
  document.body.dataset.ready = S.block;
}

function card(p) {
  const v = p.votes, h = 'p' + p.id, e = E[p.id], d = p.deadline;
  const a = el('article', {},
    el('h3', { id: h + 'h', textContent: `#${p.id} ${p.title || '(no description)'}` }),
    el('p', { className: 'meta', textContent: p.state + (d ? ` · ${d.label} ${d.text}` : '') + (p.constitutional ? ' · constitutional' : '') }),
    el('p', { className: 'tally', textContent: `For ${v.for} · Against ${v.against} · Abstain ${v.abstain} — ${p.cast} of ${p.quorum} votes needed for quorum${p.quorum_reached ? ' (reached)' : ''}, ${p.members_at_snapshot} members at the snapshot; passes with ${p.approval_needed}.` }));
  a.setAttribute('aria-labelledby', h + 'h');
  if (p.body) a.append(el('p', { textContent: p.body }));
  a.append(el('p', { textContent: 'If it passes:' }), el('ul', {}, ...p.actions.map(x => el('li', { textContent: x }))));
  if (!['Pending', 'Active'].includes(p.state)) return a;
  const can = !!(e && e.may_vote);
  a.append(el('p', {
    id: h + 'e', className: 'elig' + (e ? (can ? ' yes' : ' no') : ''),
    textContent: !me ? 'Connect your wallet to see whether you may vote.' : can ? 'You may vote on this proposal.' : e ? e.reason : '',
  }));
  if (p.state !== 'Active') return a;
  const fs = el('fieldset', { disabled: !can }, el('legend', { textContent: `Your vote on #${p.id}` }));
  for (const s of ['for', 'against', 'abstain']) fs.append(el('label', {}, el('input', { type: 'radio', name: 's', value: s }), ' ' + cap(s)));
  const b = el('button', { type: 'submit', textContent: 'Review my vote', disabled: !can });
  b.setAttribute('aria-describedby', h + 'e');
  const f = el('form', {}, fs,
    el('label', { htmlFor: h + 'r', textContent: 'Reason (optional, kept on-chain with your vote)' }),
    el('textarea', { id: h + 'r', name: 'r', disabled: !can }), b);
  f.onsubmit = ev => { ev.preventDefault(); review(p, f, b); };
  a.append(f);
  return a;
}

async function review(p, f, b) {
  if (!f.s.value) { say('Choose For, Against or Abstain first.', true); return f.s[0].focus(); }
  try {
    say('Checking your vote with the collective…');
    const bal = await api('ballot', { proposal: p.id, support: f.s.value, voter: me, reason: f.r.value.trim() });
    pick = { p, bal, b };
    $('confirm-text').textContent = bal.summary + (bal.relayed ? ' Signing is free: the relayer pays the gas.' : '') + ' Nothing is sent until your wallet asks you and you agree.';
    $('sign').hidden = !bal.relayed;
    say('');
    $('confirm').showModal();
    (bal.relayed ? $('sign') : $('gas')).focus();
  } catch (e) { say(words(e), true); }
}

async function act(how) {
  $('confirm').close();
  busy = true;
  try {
    await onChain(wallet, S.network, T(), say);
    await how(pick.p, pick.bal);
  } catch (e) { say(words(e), true); } finally { busy = false; }
}

async function relayed(p, bal) {
  say('Your wallet asks you to sign the vote you checked…');
  const signature = await ask(wallet, 'eth_signTypedData_v4', [me, JSON.stringify(bal.typed_data)], T());
  say('Signed. Handing your vote to the relayer…');
  let v = await api('votes', { typed_data: bal.typed_data, signature });
  for (let i = 0; ['queued', 'sent'].includes(v.status) && i < 400; i++) {
    say(v.message);
    await sleep(i < 20 ? 250 : 2000);
    v = await api('votes/' + v.id);
  }
  say(v.message, v.status === 'failed');
  await load(v.block || 0);
}

async function direct(p, bal) {
  say('Your wallet asks you to send the vote (you pay the gas)…');
  const tx = await ask(wallet, 'eth_sendTransaction', [{ from: me, to: bal.direct.to, data: bal.direct.data }], T());
  say(`Your vote was sent in transaction ${tx}; waiting for it to land…`);
  let r;
  for (let i = 0; !r && i < 400; i++) { await sleep(i < 20 ? 250 : 2000); r = await ask(wallet, 'eth_getTransactionReceipt', [tx], T()); }
  const n = r && parseInt(r.blockNumber, 16), ok = r && r.status === '0x1';
  say(ok ? `Your vote on #${p.id} landed in block ${n}: it is counted.` : `Your transaction ${tx} did not go through: the vote was not counted.`, !ok);
  await load(n || 0);
}

async function account(a) {
  me = a;
  $('account').textContent = a ? `Connected as ${a}.` : 'Not connected.';
  if (!a) return render();
  const m = await api('eligibility/' + a);
  E = m.proposals;
  $('account').textContent += m.member ? ` Member, ${m.member.standing}.` : ' Not a member of this collective.';
  say('Connected.');
  render();
}

async function use(w) {
  wallet = w;
  try {
    say('Asking your wallet for your address…');
    const [a] = await ask(w, 'eth_requestAccounts', [], T());
    await account(a);
    w.on?.('accountsChanged', x => account(x[0]).catch(e => say(words(e), true)));
  } catch (e) { say(words(e), true); }
}

async function connect() {
  const ws = await discover();
  if (!ws.length) return say('No browser wallet found. Install one (for example MetaMask, Rabby or Frame), then reload this page; or vote with `iwo vote` in a terminal.', true);
  if (ws.length > 1) {
    $('wallets').replaceChildren(...ws.map(w => el('button', { type: 'button', textContent: 'Connect ' + w.info.name, onclick: () => use(w.provider) })));
    return say(`${ws.length} wallets found: choose one.`);
  }
  use(ws[0].provider);
}

$('connect').onclick = connect;
$('sign').onclick = () => act(relayed);
$('gas').onclick = () => act(direct);
$('cancel').onclick = () => { $('confirm').close(); say('Cancelled: nothing was signed or sent.'); };
$('confirm').onclose = () => pick?.b.focus();
load().catch(e => { $('name').textContent = 'The collective could not be loaded'; say(words(e), true); });
setInterval(() => {
  if (!busy && !$('confirm').open && !document.querySelector('main form :checked') && !document.activeElement.closest('form')) load().catch(() => {});
}, 15000);
