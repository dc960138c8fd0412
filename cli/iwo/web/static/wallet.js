// Browser wallets: EIP-6963 discovery (window.ethereum as a fallback) and EIP-1193
// requests that never hang: each gives up after `seconds` with a Silent error.
const found = new Map();
addEventListener('eip6963:announceProvider', e => found.set(e.detail.info.uuid, e.detail));

export async function discover(ms = 200) {
  dispatchEvent(new Event('eip6963:requestProvider'));
  await new Promise(r => setTimeout(r, ms));
  const list = [...found.values()];
  if (!list.length && window.ethereum) list.push({ info: { name: 'browser wallet' }, provider: window.ethereum });
  return list;
}

export class Silent extends Error {}

export function ask(wallet, method, params, seconds) {
  let timer;
  const late = new Promise((_, no) => { timer = setTimeout(() => no(new Silent(method)), seconds * 1000); });
  return Promise.race([wallet.request({ method, params }), late]).finally(() => clearTimeout(timer));
}

// Puts the wallet on the collective's chain before anything is signed:
// switch, or add the chain (4902: the wallet does not know it) and switch.
export async function onChain(wallet, net, seconds, say) {
  const id = async () => parseInt(await ask(wallet, 'eth_chainId', [], seconds), 16);
  const now = await id();
  if (now === net.chain_id) return;
  say(`Your wallet is on chain ${now}; this collective is on chain ${net.chain_id} (${net.name}). Asking your wallet to switch…`);
  const go = () => ask(wallet, 'wallet_switchEthereumChain', [{ chainId: net.chain_hex }], seconds);
  try {
    await go();
  } catch (e) {
    if (e.code !== 4902 || !net.rpc_urls.length) throw e;
    await ask(wallet, 'wallet_addEthereumChain', [{
      chainId: net.chain_hex, chainName: net.name, rpcUrls: net.rpc_urls,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    }], seconds);
    if (await id() !== net.chain_id) await go();
  }
  if (await id() !== net.chain_id) throw Object.assign(new Error('wrong chain'), { code: 'chain' });
}
