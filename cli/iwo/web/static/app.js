// The collective's page: proposals and aid claims, who may vote and why; votes signed in the wallet (typed data from the server); records in the escrow.
import { discover, ask, onChain, Silent } from './wallet.js';

const $ = id => document.getElementById(id);
const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props); e.append(...kids); return e; };
const p_ = text => el('p', { textContent: text });
const sleep = ms => new Promise(r => setTimeout(r, ms));
const NOTHING = 'Nothing was sent.';
let S, me, wallet, pick, busy, E = {}, C = {};
const T = () => S.wallet_timeout_s;

function say(text, bad) {
  $('status').textContent = text;
  $('status').className = bad ? 'bad' : '';
}

async function api(path, body) {
  let r;
  try {
    r = await fetch('/api/' + path, body && { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw Error(`Cannot reach the iwo server (the network is down, or \`iwo serve\` stopped). ${NOTHING}`);
  }
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw Error(j.error || `The server answered ${r.status}. ${NOTHING}`);
  return j;
}

function words(e) {
  if (e instanceof Silent) return `Your wallet did not answer within ${T()} s: nothing was sent. Open your wallet to see whether it is waiting for you, then try again.`;
  if (e.code === 4001) return 'You declined: nothing was sent.';
  if (e.code === 'chain' || e.code === 4902) return `Your wallet is not on chain ${S.network.chain_id} (${S.network.name}): switch it there (or add that network), then try again. ${NOTHING}`;
  if (e.code === -32002) return `Your wallet is already asking you something: open it and answer. ${NOTHING}`;
  return e.message;
}

async function load(after) {
  S = await api('state' + (after ? '?after=' + after : ''));
  if (me) {
    const m = await api('eligibility/' + me);
    E = m.proposals; C = m.claims;
    $('account').textContent = m.text;
    rep(me, 'mine');
  }
  $('name').textContent = S.name;
  document.title = `Vote — ${S.name}`;
  $('facts').textContent = S.facts;
  $('relayer').textContent = S.relaying;
  $('relayer').className = S.relaying_ok ? '' : 'warn';
  const fill = (id, l, none) => $(id).replaceChildren(...(l.length ? l.map(card) : [p_(none)]));
  fill('open', S.open, 'No proposal is open.');
  fill('recent', S.recent, 'None yet.');
  fill('claims', S.claims, 'No claim is open.');
  document.body.dataset.ready = S.block;
}

async function rep(a, id) { // an address's record in the escrow, in the server's sentences
  let r, bad;
  try { r = await api('reputation/' + encodeURIComponent(a)); r = [r.title, ...r.lines]; } catch (e) { r = [e.message]; bad = 1; }
  $(id).replaceChildren(...r.map(p_));
  $(id).className = bad ? 'warn' : 'rec';
}

function card(p) {
  const h = p.key, e = (p.claim ? C : E)[p.id];
  const a = el('article', {},
    el('h3', { id: h + 'h', textContent: p.heading }),
    el('p', { className: 'meta', textContent: p.meta }),
    el('p', { className: 'tally', textContent: p.tally_text }));
  a.setAttribute('aria-labelledby', h + 'h');
  if (p.body) a.append(p_(p.body));
  a.append(p_(p.actions_label), el('ul', {}, ...p.actions.map(x => el('li', { textContent: x }))));
  if (!p.open) return a;
  const can = !!e?.may_vote, voted = e?.code === 'voted';
  a.append(el('p', {
    id: h + 'e', className: 'elig' + (!e || voted ? '' : can ? ' yes' : ' no'),
    textContent: me ? e?.text || '' : 'Connect your wallet to see whether you may vote.',
  }));
  if (!p.live || voted) return a;
  const fs = el('fieldset', { disabled: !can }, el('legend', { textContent: `Your vote on ${p.ref}` }));
  for (const s of p.choices) fs.append(el('label', {}, el('input', { type: 'radio', name: 's', value: s.toLowerCase() }), ' ' + s));
  const b = el('button', { type: 'submit', textContent: 'Review my vote', disabled: !can });
  b.setAttribute('aria-describedby', h + 'e');
  const f = el('form', {}, fs,
    el('label', { htmlFor: h + 'r', textContent: 'Reason (optional, kept on-chain with your vote)' }),
    el('textarea', { id: h + 'r', name: 'r', disabled: !can }), b);
  f.onsubmit = ev => { ev.preventDefault(); review(p, f, b); };
  return a.append(f), a;
}

async function review(p, f, b) {
  const s = f.querySelector(':checked')?.value;
  if (!s) return say('Choose how you vote first.', 1), f.s[0]?.focus();
  try {
    say('Checking your vote with the collective…');
    const bal = await api(p.claim ? 'aid/ballot' : 'ballot', { [p.claim ? 'claim' : 'proposal']: p.id, support: s, voter: me, reason: f.r.value.trim() });
    pick = { p, bal, b };
    $('confirm-text').textContent = bal.summary;
    $('sign').hidden = !bal.relayed;
    say('');
    $('confirm').showModal();
    $(bal.relayed ? 'sign' : 'gas').focus();
  } catch (e) { say(words(e), 1); }
}

async function act(how) {
  $('confirm').close();
  busy = 1;
  try {
    await onChain(wallet, S.network, T(), say);
    const [text, ok, block] = await how(pick.p, pick.bal);
    say(text, !ok);
    await load(block);
  } catch (e) { say(words(e), 1); }
  busy = 0;
}

async function follow(step) { // polls until the vote landed (or failed)
  for (let i = 0; i < 400; i++) {
    const done = await step();
    if (done) return done;
    await sleep(i < 20 ? 250 : 2000);
  }
  return ['Still on its way: reload this page later to see it counted.'];
}

async function relayed(p, bal) {
  say('Your wallet asks you to sign the vote you checked…');
  const signature = await ask(wallet, 'eth_signTypedData_v4', [me, JSON.stringify(bal.typed_data)], T());
  say('Signed. Handing your vote to the relayer…');
  let v = await api('votes', { typed_data: bal.typed_data, signature });
  return follow(async () => {
    if (['landed', 'failed'].includes(v.status)) return [v.message, v.status === 'landed', v.block];
    say(v.message);
    v = await api('votes/' + v.id);
  });
}

async function direct(p, bal) {
  say('Your wallet asks you to send the vote (you pay the gas)…');
  const tx = await ask(wallet, 'eth_sendTransaction', [{ from: me, ...bal.direct }], T());
  say(`Your vote was sent in transaction ${tx}; waiting for it to land…`);
  return follow(async () => {
    const r = await ask(wallet, 'eth_getTransactionReceipt', [tx], T()), n = r && parseInt(r.blockNumber, 16);
    return r && (r.status === '0x1' ? [`Your vote on ${p.ref} landed in block ${n}: it is counted.`, 1, n] : [`Your transaction ${tx} did not go through: the vote was not counted.`]);
  });
}

async function account(a) {
  me = a;
  await load();
  say('Connected.');
}

async function use(w) {
  wallet = w;
  try {
    say('Asking your wallet for your address…');
    await account((await ask(w, 'eth_requestAccounts', [], T()))[0]);
    w.on?.('accountsChanged', x => x[0] && account(x[0]).catch(e => say(words(e), 1)));
  } catch (e) { say(words(e), 1); }
}

$('connect').onclick = async () => {
  const ws = await discover();
  if (!ws.length) return say('No browser wallet found. Install one (for example MetaMask, Rabby or Frame), then reload this page; or vote with `iwo vote` in a terminal.', 1);
  if (ws.length < 2) return use(ws[0].provider);
  $('wallets').replaceChildren(...ws.map(w => el('button', { type: 'button', textContent: 'Connect ' + w.info.name, onclick: () => use(w.provider) })));
  say(`${ws.length} wallets found: choose one.`);
};
$('check').onsubmit = e => { e.preventDefault(); rep($('who').value.trim(), 'rep'); };
$('sign').onclick = () => act(relayed);
$('gas').onclick = () => act(direct);
$('cancel').onclick = () => { $('confirm').close(); say('Cancelled: nothing was signed or sent.'); };
$('confirm').onclose = () => pick?.b.focus();
load().catch(e => say(words(e), 1));
setInterval(() => busy || $('confirm').open || document.activeElement.closest('form') || document.querySelector('main :checked') || load().catch(() => {}), 15000);
