/**
 * La Boutique: the brand's storefront, a single-page app under `/shop`.
 *
 * While a customer is signed in (the "Signed in as" selector), each page view sends `page_view`,
 * a product page also `product_view`, a search also `search`, and "Add to cart" sends `cart_add`
 * to the Caller Context gateway, so the agent sees the visit live. A guest sends nothing.
 * The footer's status element carries `data-sent-count` and `data-send-errors` for tests.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { type DemoConfig, type DemoCustomer, loadDemoConfig } from './demo-config';
import { ActivityCollector, type ActivityStatus, type WebEvent } from './shop-activity';
import { beanLogo, cartIcon, checkIcon, productArt, searchIcon } from './shop-art';
import { findProduct, formatPrice, PRODUCTS, type Product, searchProducts } from './shop-catalog';

type Route =
  | { name: 'home' }
  | { name: 'product'; product: Product }
  | { name: 'cart' }
  | { name: 'returns' }
  | { name: 'search'; query: string }
  | { name: 'not-found' };

interface CartLine {
  slug: string;
  quantity: number;
}

const CUSTOMER_KEY = 'la-boutique.signed-in-as';
const CART_KEY = 'la-boutique.cart';

interface State {
  config: DemoConfig | undefined;
  error: string | undefined;
  customerId: string;
  cart: CartLine[];
  activity: ActivityStatus;
  toast: string;
}

const state: State = {
  config: undefined,
  error: undefined,
  customerId: readStorage(CUSTOMER_KEY) ?? '',
  cart: readCart(),
  activity: { sent: 0, failed: 0, lastError: undefined },
  toast: '',
};

let collector: ActivityCollector | undefined;
let toastTimer: number | undefined;

// ---------------------------------------------------------------------------------------------
// Storage

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage full or blocked: the choice lasts for this page only.
  }
}

function readCart(): CartLine[] {
  try {
    const parsed: unknown = JSON.parse(readStorage(CART_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((line: unknown) => {
      if (typeof line !== 'object' || line === null) return [];
      const { slug, quantity } = line as Record<string, unknown>;
      return typeof slug === 'string' && findProduct(slug) && typeof quantity === 'number'
        ? [{ slug, quantity: Math.max(1, Math.floor(quantity)) }]
        : [];
    });
  } catch {
    return [];
  }
}

function saveCart(): void {
  writeStorage(CART_KEY, JSON.stringify(state.cart));
}

function signedInCustomer(): DemoCustomer | undefined {
  return state.config?.customers.find((customer) => customer.id === state.customerId);
}

// ---------------------------------------------------------------------------------------------
// Routing

function parseRoute(location: Location): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/shop') return { name: 'home' };
  if (path === '/shop/cart') return { name: 'cart' };
  if (path === '/shop/returns') return { name: 'returns' };
  if (path === '/shop/search') {
    return { name: 'search', query: new URLSearchParams(location.search).get('q') ?? '' };
  }
  const product = /^\/shop\/product\/([^/]+)$/.exec(path);
  if (product?.[1]) {
    const found = findProduct(decodeURIComponent(product[1]));
    if (found) return { name: 'product', product: found };
  }
  return { name: 'not-found' };
}

function titleOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return 'Shop';
    case 'product':
      return route.product.name;
    case 'cart':
      return 'Your cart';
    case 'returns':
      return 'Returns and replacements';
    case 'search':
      return route.query ? `Search: ${route.query}` : 'Search';
    default:
      return 'Page not found';
  }
}

function currentUrl(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/** In-app navigation: no reload, so this tab's activity counters keep counting. */
function navigate(url: string): void {
  if (url !== currentUrl()) history.pushState(null, '', url);
  showPage();
}

function onDocumentClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest('a');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin || !/^\/shop(\/|$)/.test(url.pathname)) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}`);
}

// ---------------------------------------------------------------------------------------------
// Activity

function send(events: WebEvent[]): void {
  const customer = signedInCustomer();
  if (!customer || !collector) return;
  void collector.send(customer.email, events);
}

/**
 * Identity tokens from the shop's own backend (demo/server.ts), one per signed-in customer, reused
 * until a minute before they expire.
 */
function identityTokens(): (email: string) => Promise<string> {
  const cache = new Map<string, { token: string; until: number }>();
  return async (email) => {
    const cached = cache.get(email);
    if (cached && cached.until > Date.now()) return cached.token;
    const response = await fetch('/shop/identity-token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw new Error(`the shop could not sign in ${email} (${response.status})`);
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    cache.set(email, { token, until: Date.parse(expiresAt) - 60_000 });
    return token;
  };
}

function trackPageView(route: Route): void {
  const url = currentUrl();
  const events: WebEvent[] = [{ type: 'page_view', title: titleOf(route), url }];
  if (route.name === 'product') {
    const { name, price, currency } = route.product;
    events.push({ type: 'product_view', title: name, url, value: price, currency });
  } else if (route.name === 'search' && route.query.trim()) {
    events.push({ type: 'search', title: route.query.trim(), url });
  }
  send(events);
}

function addToCart(product: Product): void {
  const line = state.cart.find((item) => item.slug === product.slug);
  if (line) line.quantity += 1;
  else state.cart.push({ slug: product.slug, quantity: 1 });
  saveCart();
  send([
    {
      type: 'cart_add',
      title: product.name,
      url: currentUrl(),
      value: product.price,
      currency: product.currency,
    },
  ]);
  showToast(`${product.name} added to your cart`);
}

function changeQuantity(slug: string, delta: number): void {
  const line = state.cart.find((item) => item.slug === slug);
  if (!line) return;
  line.quantity += delta;
  if (line.quantity <= 0) state.cart = state.cart.filter((item) => item !== line);
  saveCart();
  update();
}

function showToast(text: string): void {
  state.toast = text;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    state.toast = '';
    update();
  }, 4000);
  update();
}

// ---------------------------------------------------------------------------------------------
// Views

function productCard(product: Product) {
  return html`<li class="product-card" data-slug=${product.slug}>
    <div class="product-art" data-slug=${product.slug}>${productArt(product.slug)}</div>
    <div class="product-card-body">
      <h3><a class="product-link" href=${`/shop/product/${product.slug}`}>${product.name}</a></h3>
      <p class="product-tagline">${product.tagline}</p>
      <p class="price">${formatPrice(product.price)}</p>
    </div>
  </li>`;
}

function productGrid(products: readonly Product[]) {
  return html`<ul role="list" class="product-grid">
    ${products.map(productCard)}
  </ul>`;
}

function homeView() {
  return html`<section class="hero">
      <div class="hero-text">
        <p class="eyebrow">New season</p>
        <h1 tabindex="-1">Brew like a barista, at home</h1>
        <p>
          Machines, grinders and the small parts that keep them going, chosen and tested by our
          baristas in London.
        </p>
      </div>
      <div class="hero-art" aria-hidden="true">${productArt('espresso-pro')}</div>
    </section>
    <section aria-labelledby="range-title">
      <h2 id="range-title" class="section-title">The range</h2>
      ${productGrid(PRODUCTS)}
    </section>`;
}

function productView(product: Product) {
  const others = PRODUCTS.filter((item) => item.slug !== product.slug).slice(0, 3);
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="/shop">Shop</a><span aria-hidden="true">›</span
      ><span aria-current="page">${product.name}</span>
    </nav>
    <article class="product-page">
      <div class="product-art large" data-slug=${product.slug}>${productArt(product.slug)}</div>
      <div class="product-info">
        <p class="eyebrow">${product.tagline}</p>
        <h1 tabindex="-1">${product.name}</h1>
        <p class="price large">${formatPrice(product.price)}</p>
        <p class="product-description">${product.description}</p>
        <ul role="list" class="features">
          ${product.features.map((feature) => html`<li>${checkIcon}<span>${feature}</span></li>`)}
        </ul>
        <button type="button" class="primary add-to-cart" @click=${() => addToCart(product)}>
          Add to cart
        </button>
        <p class="reassurance">
          Free UK delivery over £50 · <a href="/shop/returns">30-day returns</a>
        </p>
      </div>
    </article>
    <section aria-labelledby="more-title" class="more">
      <h2 id="more-title" class="section-title">You may also like</h2>
      ${productGrid(others)}
    </section>`;
}

function cartView() {
  const lines = state.cart.flatMap((line) => {
    const product = findProduct(line.slug);
    return product ? [{ ...line, product }] : [];
  });
  const total = lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
  if (lines.length === 0) {
    return html`<h1 tabindex="-1">Your cart</h1>
      <div class="empty-state">
        <p>Your cart is empty.</p>
        <a class="button" href="/shop">Browse the range</a>
      </div>`;
  }
  return html`<h1 tabindex="-1">Your cart</h1>
    <div class="cart">
      <ul role="list" class="cart-lines">
        ${lines.map(
          ({ product, quantity }) => html`<li class="cart-line">
            <div class="product-art thumb" data-slug=${product.slug}>${productArt(product.slug)}</div>
            <div class="cart-line-info">
              <a href=${`/shop/product/${product.slug}`}>${product.name}</a>
              <span class="product-tagline">${formatPrice(product.price)} each</span>
            </div>
            <div class="stepper" role="group" aria-label=${`Quantity of ${product.name}`}>
              <button
                type="button"
                aria-label=${`One fewer ${product.name}`}
                @click=${() => changeQuantity(product.slug, -1)}
              >−</button>
              <span class="tabular" aria-live="polite">${quantity}</span>
              <button
                type="button"
                aria-label=${`One more ${product.name}`}
                @click=${() => changeQuantity(product.slug, 1)}
              >+</button>
            </div>
            <span class="line-total tabular">${formatPrice(product.price * quantity)}</span>
          </li>`,
        )}
      </ul>
      <aside class="summary" aria-label="Order summary">
        <div class="summary-row"><span>Subtotal</span><span class="tabular">${formatPrice(total)}</span></div>
        <div class="summary-row"><span>Delivery</span><span>${total >= 50 ? 'Free' : formatPrice(4.95)}</span></div>
        <button type="button" class="primary" disabled aria-describedby="checkout-note">
          Checkout
        </button>
        <p id="checkout-note" class="fine-print">Checkout is turned off in this demo store.</p>
      </aside>
    </div>`;
}

function returnsView() {
  return html`<article class="prose">
    <h1 tabindex="-1">Returns and replacements</h1>
    <p class="lede">
      Changed your mind, or something arrived damaged? Here is how returns and replacements work at
      La Boutique.
    </p>
    <h2>30-day returns</h2>
    <p>
      Return any item within 30 days of delivery for a full refund, as long as it is unused and in
      its original packaging. Returns are free for orders over £50.
    </p>
    <h2>Damaged or faulty items</h2>
    <p>
      If a product or part arrives damaged (a cracked drip tray, say), tell us within 14 days. We
      send a free replacement part within 2 working days, and you do not need to return the whole
      machine.
    </p>
    <h2>How to start a return</h2>
    <ol>
      <li>Sign in and open <strong>My orders</strong>.</li>
      <li>Choose the item and the reason for the return.</li>
      <li>Print the prepaid label, or show the QR code at a drop-off point.</li>
    </ol>
    <h2>Refunds</h2>
    <p>Refunds reach your original payment method within 5 working days of the return arriving.</p>
    <aside class="help">
      <strong>Need a hand?</strong> Call customer care on
      <span class="nowrap">020 7946 0000</span> (Monday to Saturday, 8:00 to 20:00). We can see
      what you were looking at, if you are signed in.
    </aside>
  </article>`;
}

function searchView(query: string) {
  const results = searchProducts(query);
  return html`<h1 tabindex="-1">${query ? html`Results for “${query}”` : 'Search'}</h1>
    <p class="result-count">
      ${
        query
          ? `${results.length} ${results.length === 1 ? 'product' : 'products'}`
          : 'Type what you are looking for in the search box.'
      }
    </p>
    ${
      results.length > 0
        ? productGrid(results)
        : query
          ? html`<div class="empty-state">
            <p>Nothing matches. Try “espresso”, “grinder” or “milk”.</p>
            <a class="button" href="/shop">Browse the range</a>
          </div>`
          : nothing
    }`;
}

function notFoundView() {
  return html`<h1 tabindex="-1">Page not found</h1>
    <div class="empty-state">
      <p>This page does not exist, or not any more.</p>
      <a class="button" href="/shop">Back to the shop</a>
    </div>`;
}

function mainView(route: Route): TemplateResult {
  switch (route.name) {
    case 'home':
      return homeView();
    case 'product':
      return productView(route.product);
    case 'cart':
      return cartView();
    case 'returns':
      return returnsView();
    case 'search':
      return searchView(route.query);
    default:
      return notFoundView();
  }
}

function onSignIn(event: Event): void {
  const select = event.currentTarget as HTMLSelectElement;
  state.customerId = select.value;
  writeStorage(CUSTOMER_KEY, state.customerId);
  update();
}

function onSearch(event: SubmitEvent): void {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const input = form.elements.namedItem('q');
  if (!(input instanceof HTMLInputElement)) return;
  navigate(`/shop/search?${new URLSearchParams({ q: input.value.trim() })}`);
}

function activityStatus() {
  const { sent, failed, lastError } = state.activity;
  const customer = signedInCustomer();
  const kind = failed > 0 ? 'error' : customer ? 'sharing' : 'guest';
  let text: string;
  if (!state.config) text = 'Connecting to Caller Context…';
  else if (customer)
    text = `Activity shared with Caller Context: ${sent} ${sent === 1 ? 'event' : 'events'}`;
  else if (sent > 0) text = `Browsing as a guest: nothing more is shared (${sent} events before)`;
  else text = 'Browsing as a guest: no activity is shared';
  return html`<p
    class="activity-status"
    role="status"
    data-state=${kind}
    data-sent-count=${sent}
    data-send-errors=${failed}
  >
    <span class="activity-dot" aria-hidden="true"></span>
    <span>${text}</span>
    ${
      failed > 0
        ? html`<span class="activity-error">· ${failed} not delivered: ${lastError ?? 'unknown error'}</span>`
        : nothing
    }
  </p>`;
}

function header(route: Route) {
  const customers = state.config?.customers ?? [];
  const count = state.cart.reduce((sum, line) => sum + line.quantity, 0);
  return html`<div class="promo">Free UK delivery over £50 · 30-day returns · Barista support 7 days a week</div>
    <header class="site-header">
      <div class="header-inner">
        <a class="logo" href="/shop">${beanLogo}<span>La Boutique</span></a>
        <nav class="sections" aria-label="Shop sections">
          <a href="/shop" aria-current=${route.name === 'home' ? 'page' : nothing}>Shop</a>
          <a href="/shop/returns" aria-current=${route.name === 'returns' ? 'page' : nothing}
            >Returns</a
          >
        </nav>
        <form class="search" role="search" @submit=${onSearch}>
          <label class="visually-hidden" for="shop-search">Search products</label>
          ${searchIcon}
          <input
            id="shop-search"
            name="q"
            type="search"
            placeholder="Search products"
            autocomplete="off"
            .value=${route.name === 'search' ? route.query : ''}
          />
        </form>
        <div class="account">
          <label for="signed-in-as">Signed in as</label>
          <select id="signed-in-as" @change=${onSignIn} ?disabled=${!state.config}>
            <option value="" ?selected=${state.customerId === ''}>Guest</option>
            ${customers.map(
              (customer) =>
                html`<option value=${customer.id} ?selected=${customer.id === state.customerId}
                  >${customer.name}</option
                >`,
            )}
          </select>
        </div>
        <a class="cart-link" href="/shop/cart" aria-current=${route.name === 'cart' ? 'page' : nothing}>
          ${cartIcon}<span>Cart</span>
          <span class="cart-count" aria-hidden="true" ?hidden=${count === 0}>${count}</span>
          <span class="visually-hidden">, ${count} ${count === 1 ? 'item' : 'items'}</span>
        </a>
      </div>
    </header>`;
}

function app(route: Route) {
  return html`${header(route)}
    <main class="page" id="main">
      ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : nothing}
      ${mainView(route)}
    </main>
    <footer class="site-footer">
      <div class="footer-inner">
        <p>© 2026 La Boutique, London · A demo store for Caller Context</p>
        ${activityStatus()}
      </div>
    </footer>
    <div class="toast" role="status" ?hidden=${!state.toast}>
      ${checkIcon}<span>${state.toast}</span><a href="/shop/cart">View cart</a>
    </div>`;
}

function update(): void {
  const route = parseRoute(window.location);
  render(app(route), document.body);
  document.title = `${titleOf(route)} · La Boutique`;
}

/** A page view: render, reset scroll and focus as a page load would, and report it. */
function showPage(): void {
  state.toast = '';
  update();
  window.scrollTo(0, 0);
  document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  trackPageView(parseRoute(window.location));
}

document.addEventListener('click', onDocumentClick);
window.addEventListener('popstate', showPage);
update();
loadDemoConfig().then(
  (config) => {
    state.config = config;
    collector = new ActivityCollector(
      config,
      (status) => {
        state.activity = status;
        update();
      },
      identityTokens(),
    );
    if (!signedInCustomer()) state.customerId = '';
    update();
    // The first page view, now that we know who is signed in and where to send it.
    trackPageView(parseRoute(window.location));
  },
  (error: unknown) => {
    state.error = `Could not load the shop's configuration: ${error instanceof Error ? error.message : String(error)}`;
    update();
  },
);
