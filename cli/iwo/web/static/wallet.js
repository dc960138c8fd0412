// EIP-6963 wallet discovery (window.ethereum as fallback); EIP-1193 requests that give up after `s` seconds.
const found = new Map();
addEventListener('eip6963:announceProvider', e => found.set(e.detail.info.uuid, e.detail));

export async function discover() {
  dispatchEvent(new Event('eip6963:requestProvider'));
  await new Promise(r => setTimeout(r, 200));
  const list = [...found.values()];
  if (!list.length && window.ethereum) list.push({ info: { name: 'browser wallet' }, provider: window.ethereum });
  return list;
}

export class Silent extends Error {}

export function ask(w, method, params, s) {
  let t;
  const late = new Promise((_, no) => { t = setTimeout(() => no(new Silent()), s * 1000); });
  return Promise.race([w.request({ method, params }), late]).finally(() => clearTimeout(t));
}

// Before anything is signed: switch to the collective's chain, adding it first if unknown (4902).
export async function onChain(w, net, s, say) {
  const id = async () => parseInt(await ask(w, 'eth_chainId', [], s), 16);
  const now = await id();
  if (now === net.chain_id) return;
  say(`Your wallet is on chain ${now}; this collective is on chain ${net.chain_id} (${net.name}). Asking your wallet to switch…`);
  const go = () => ask(w, 'wallet_switchEthereumChain', [{ chainId: net.chain_hex }], s);
  try { await go(); } catch (e) {
    if (e.code !== 4902 || !net.rpc_urls.length) throw e;
    await ask(w, 'wallet_addEthereumChain', [{ chainId: net.chain_hex, chainName: net.name, rpcUrls: net.rpc_urls,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 } }], s);
    if (await id() !== net.chain_id) await go();
  }
  if (await id() !== net.chain_id) throw Object.assign(Error(), { code: 'chain' });
}
