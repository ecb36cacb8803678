import { bytes, cpuMillis } from "../1-model";
import { shouldProvision } from "../1-model";
import { SERVICE_NAMES, type ServiceName, type Unit } from "../1-model";
import { serviceClassOf, type StackSettings } from "../1-model";
import { type Grosze, percentOf, priceTimes, toGrosze } from "./money";
import { orderedUnits, type ReportInput } from "./units";

export type Prices = StackSettings["prices"];
/** The priced items of the price list (every key but currency and vatPercent). */
export type PriceKey = Exclude<keyof Prices, "currency" | "vatPercent">;

/** A quantity as an exact rational: `numerator / denominator` (CPU millicores / 1000, bytes / 2^30). */
export interface Quantity {
  numerator: number;
  denominator: number;
}

const GIB = 2 ** 30;

/**
 * Every priced item: its service and how much of it a unit takes. Servers are charged for the quota
 * (VMs run inside it, so they are not charged again); units not enrolled in servers are not charged
 * for their default quota.
 */
export const PRICED_ITEMS: ReadonlyArray<{
  key: PriceKey;
  service: ServiceName;
  quantity: (u: Unit) => Quantity | undefined;
}> = [
  { key: "financeUser", service: "finance", quantity: (u) => whole(u.services.finance?.users) },
  { key: "financeModule", service: "finance", quantity: (u) => whole(u.services.finance?.modules.length) },
  { key: "internetMbps", service: "internet", quantity: (u) => whole(u.services.internet?.bandwidthMbps) },
  { key: "antivirusSeat", service: "antivirus", quantity: (u) => whole(u.services.antivirus?.seats) },
  {
    key: "networkProtection",
    service: "networkProtection",
    quantity: (u) => whole(u.services.networkProtection ? 1 : undefined),
  },
  { key: "mailbox", service: "mail", quantity: (u) => whole(u.services.mail?.mailboxes.length) },
  {
    key: "vcpu",
    service: "servers",
    quantity: (u) =>
      u.services.servers
        ? { numerator: cpuMillis(u.services.servers.quota.cpu), denominator: 1000 }
        : undefined,
  },
  {
    key: "memoryGiB",
    service: "servers",
    quantity: (u) =>
      u.services.servers
        ? { numerator: bytes(u.services.servers.quota.memory), denominator: GIB }
        : undefined,
  },
  {
    key: "storageGiB",
    service: "servers",
    quantity: (u) =>
      u.services.servers
        ? { numerator: bytes(u.services.servers.quota.storage), denominator: GIB }
        : undefined,
  },
  { key: "printQueue", service: "print", quantity: (u) => whole(u.services.print?.queues.length) },
  { key: "site", service: "web", quantity: (u) => whole(u.services.web?.sites.length) },
];

function whole(n: number | undefined): Quantity | undefined {
  return n === undefined ? undefined : { numerator: n, denominator: 1 };
}

export interface ChargeLine {
  service: ServiceName;
  item: PriceKey;
  quantity: Quantity;
  unitPrice: Grosze;
  /** unitPrice × quantity, rounded half up to a whole grosz. */
  amount: Grosze;
}

export interface UnitCharge {
  id: string;
  shortName: string;
  name: string;
  costCentre: string;
  lines: ChargeLine[];
  /** Net monthly cost of each service (0 when not enrolled). */
  byService: Record<ServiceName, Grosze>;
  net: Grosze;
  /** The unit's service class and its monthly price (stack serviceClasses), included in net. */
  serviceClass?: { name: string; price: Grosze };
  /** VAT on the unit's net total, rounded half up; present when the price list has vatPercent. */
  vat?: Grosze;
  gross?: Grosze;
}

export interface Chargeback {
  currency: "PLN";
  vatPercent?: number;
  /** The price list in grosze. */
  prices: Record<PriceKey, Grosze>;
  /** Monthly prices of the stack's service classes, by class; present when the stack has serviceClasses. */
  serviceClassPrices?: Record<string, Grosze>;
  /** Provisioned units, in report order. */
  units: UnitCharge[];
  /** Units not charged (not provisioned), with their state. */
  notCharged: Array<{ id: string; shortName: string; state: Unit["lifecycle"]["state"] }>;
  totals: {
    byService: Record<ServiceName, Grosze>;
    /** Sum of the units' service class prices; present with serviceClassPrices. */
    serviceClasses?: Grosze;
    net: Grosze;
    vat?: Grosze;
    gross?: Grosze;
  };
}

const zeroByService = (): Record<ServiceName, Grosze> =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [s, 0])) as Record<ServiceName, Grosze>;

/** The monthly cost per provisioned unit and service from the stack's price list, with totals. */
export function chargeback(input: ReportInput): Chargeback {
  const p = input.settings.prices;
  const prices = Object.fromEntries(PRICED_ITEMS.map((i) => [i.key, toGrosze(p[i.key])])) as Record<
    PriceKey,
    Grosze
  >;
  const vatPercent = p.vatPercent;
  // Service classes (stack serviceClasses) are priced per unit and month, besides the services.
  const classes = input.settings.serviceClasses?.classes;
  const classPrices = classes
    ? Object.fromEntries(Object.entries(classes).map(([k, c]) => [k, toGrosze(c?.price ?? 0)]))
    : undefined;
  const units: UnitCharge[] = [];
  const notCharged: Chargeback["notCharged"] = [];
  for (const unit of orderedUnits(input)) {
    if (!shouldProvision(unit, input.settings)) {
      notCharged.push({ id: unit.id, shortName: unit.shortName, state: unit.lifecycle.state });
      continue;
    }
    const lines: ChargeLine[] = [];
    for (const item of PRICED_ITEMS) {
      const quantity = item.quantity(unit);
      if (!quantity) continue;
      const unitPrice = prices[item.key];
      lines.push({
        service: item.service,
        item: item.key,
        quantity,
        unitPrice,
        amount: priceTimes(unitPrice, quantity.numerator, quantity.denominator),
      });
    }
    const byService = zeroByService();
    for (const l of lines) byService[l.service] += l.amount;
    const sc = classPrices ? serviceClassOf(unit, input.settings) : undefined;
    const serviceClass = sc ? { name: sc.name, price: classPrices![sc.name] ?? 0 } : undefined;
    const net = lines.reduce((s, l) => s + l.amount, 0) + (serviceClass?.price ?? 0);
    const charge: UnitCharge = {
      id: unit.id,
      shortName: unit.shortName,
      name: unit.name,
      costCentre: unit.costCentre,
      lines,
      byService,
      ...(serviceClass ? { serviceClass } : {}),
      net,
    };
    if (vatPercent !== undefined) {
      charge.vat = percentOf(net, vatPercent);
      charge.gross = net + charge.vat;
    }
    units.push(charge);
  }
  const byService = zeroByService();
  for (const u of units) for (const s of SERVICE_NAMES) byService[s] += u.byService[s];
  const totals: Chargeback["totals"] = {
    byService,
    ...(classPrices ? { serviceClasses: units.reduce((s, u) => s + (u.serviceClass?.price ?? 0), 0) } : {}),
    net: units.reduce((s, u) => s + u.net, 0),
  };
  if (vatPercent !== undefined) {
    totals.vat = units.reduce((s, u) => s + (u.vat ?? 0), 0);
    totals.gross = totals.net + totals.vat;
  }
  return {
    currency: p.currency,
    ...(vatPercent !== undefined ? { vatPercent } : {}),
    prices,
    ...(classPrices ? { serviceClassPrices: classPrices } : {}),
    units,
    notCharged,
    totals,
  };
}
