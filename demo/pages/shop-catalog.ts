/**
 * La Boutique's five products. Plain data, no DOM: the storefront renders it and the end-to-end
 * page object looks products up by slug.
 */

export interface Product {
  slug: string;
  name: string;
  price: number;
  currency: 'GBP';
  tagline: string;
  description: string;
  features: string[];
}

export const PRODUCTS: readonly Product[] = [
  {
    slug: 'espresso-pro',
    name: 'Espresso Pro',
    price: 649,
    currency: 'GBP',
    tagline: 'Dual-boiler espresso machine',
    description:
      'Café-grade espresso at home: a dual boiler for brewing and steaming at once, PID ' +
      'temperature control and a commercial 58 mm group head.',
    features: [
      'Dual boiler, ready in 8 minutes',
      'PID temperature control to 0.5 °C',
      'Pressure gauge and pre-infusion',
      '2-year warranty',
    ],
  },
  {
    slug: 'grinder-x2',
    name: 'Grinder X2',
    price: 229,
    currency: 'GBP',
    tagline: 'Conical burr grinder, 40 settings',
    description:
      'Stepless-feel conical burrs from espresso fine to French-press coarse, with a low-retention ' +
      'chute so every dose is fresh.',
    features: ['40 grind settings', '54 mm steel conical burrs', 'Anti-static catch cup'],
  },
  {
    slug: 'cold-brew-kit',
    name: 'Cold Brew Kit',
    price: 89,
    currency: 'GBP',
    tagline: '1.5 litre glass brewer',
    description:
      'Steep coarse-ground coffee overnight for a smooth, low-acid concentrate. Borosilicate jar, ' +
      'fine mesh filter and an airtight lid.',
    features: ['1.5 litre borosilicate jar', 'Stainless mesh filter', 'Dishwasher safe'],
  },
  {
    slug: 'drip-tray',
    name: 'Drip tray for Espresso Pro',
    price: 19,
    currency: 'GBP',
    tagline: 'Replacement part',
    description:
      'The original stainless drip tray and grille for the Espresso Pro, with the water-level ' +
      'float. Slides straight in.',
    features: ['Fits every Espresso Pro', 'Stainless steel grille', 'Water-level indicator'],
  },
  {
    slug: 'milk-frother',
    name: 'Milk Frother',
    price: 59,
    currency: 'GBP',
    tagline: 'Hot and cold foam in 90 seconds',
    description:
      'Silky microfoam for flat whites, thick foam for cappuccinos, or cold foam for iced drinks, ' +
      'at the press of a button.',
    features: ['Hot and cold foam', '300 ml jug', 'Magnetic whisk, dishwasher safe'],
  },
];

export function findProduct(slug: string): Product | undefined {
  return PRODUCTS.find((product) => product.slug === slug);
}

/** Every word of the query must appear in the product's name, tagline or description. */
export function searchProducts(query: string): Product[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return PRODUCTS.filter((product) => {
    const text = `${product.name} ${product.tagline} ${product.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

const priceFormat = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

export function formatPrice(amount: number): string {
  return priceFormat.format(amount);
}
