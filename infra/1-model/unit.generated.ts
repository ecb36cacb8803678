/* Generated from schemas/unit.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * One organizational unit of the city: its identity, its roles from the city's operations order, its lifecycle, and the shared IT services of the council resolution it is enrolled in.
 */
export interface Unit {
  /**
   * Stable identifier of the unit, a DNS-1123 label: it becomes the namespace and the prefix of every name, and must equal the file name. Never change it.
   */
  id: string;
  /**
   * The unit's official name as in its statute (Polish, full UTF-8).
   */
  name: string;
  /**
   * The short name or acronym used in reports.
   */
  shortName: string;
  /**
   * The unit's seat address.
   */
  address: {
    /**
     * Street and number, as written in the resolution.
     */
    street: string;
    /**
     * Polish postal code.
     */
    postalCode: string;
    /**
     * City.
     */
    city: string;
  };
  /**
   * REGON statistical number, 9 or 14 digits; its check digit is verified.
   */
  regon?: string;
  /**
   * NIP tax identification number, 10 digits without dashes; its check digit is verified.
   */
  nip?: string;
  /**
   * Cost centre the unit's services are charged to in the city's accounts.
   */
  costCentre: string;
  /**
   * Free labels a stack can select units by (for example a district or a pilot group); they also label the namespace.
   */
  labels: {
    /**
     * A label value.
     */
    [k: string]: string | undefined;
  };
  /**
   * Roles named by the unit under the city's operations order. Once any service is enrolled there must be at least one of each; one person may hold both.
   */
  roles: {
    /**
     * Local administrators: run the unit's workloads in its own namespace (ClusterRole muni-unit-admin); they read, but cannot change, its network isolation, quota, RBAC and Pod Security labels.
     */
    localAdministrators: Identity[];
    /**
     * Local operations leads: read access plus the operational duties (restarting workloads, reading logs).
     */
    operationsLeads: Identity[];
  };
  /**
   * Where the unit stands in the three-year onboarding, and its decommissioning approval when it leaves.
   */
  lifecycle: {
    /**
     * planned: validated and reported, nothing provisioned; active: provisioned; decommissioning: services stop, data kept (needs approval); decommissioned: everything removed except retained data (needs approval).
     */
    state: "planned" | "active" | "decommissioning" | "decommissioned";
    /**
     * Onboarding wave of the resolution's phased rollout; a stack provisions only its live waves.
     */
    wave: number;
    /**
     * Planned onboarding date.
     */
    plannedOn?: string;
    /**
     * Date the unit went live on shared IT.
     */
    onboardedOn?: string;
    /**
     * Approval of decommissioning: required in states decommissioning and decommissioned, void after expiresOn.
     */
    approval?: {
      /**
       * Who approved: name and function.
       */
      approvedBy: string;
      /**
       * Date of the approval.
       */
      approvedOn: string;
      /**
       * The decision, order or ticket reference.
       */
      reference: string;
      /**
       * After this date the approval is void and the unit cannot move on.
       */
      expiresOn: string;
    };
  };
  /**
   * Service class of the IT centre the unit has (its stack's serviceClasses: hours, availability, backup). Unset: the stack's default class.
   */
  serviceClass?: string;
  /**
   * Backup class (the stack's backup.classes) when the unit wants another than its service class's. Unset: the service class's.
   */
  backupClass?: string;
  /**
   * The eight shared services of the council resolution; a service is enrolled when its key is present.
   */
  services: {
    /**
     * Central finance-accounting system: the modules the unit uses.
     */
    finance?: {
      /**
       * Enabled modules: budget reporting, budget planning and monitoring, general ledger, settlements, contracts and commitments register, invoicing, asset register.
       *
       * @minItems 1
       *
       * Items: A finance-accounting module.
       */
      modules: [
        (
          | "budgetReporting"
          | "budgetPlanning"
          | "generalLedger"
          | "settlements"
          | "contractsRegister"
          | "invoicing"
          | "assetRegister"
        ),
        ...(
          | "budgetReporting"
          | "budgetPlanning"
          | "generalLedger"
          | "settlements"
          | "contractsRegister"
          | "invoicing"
          | "assetRegister"
        )[],
      ];
      /**
       * Named user licences of the finance system.
       */
      users: number;
    };
    /**
     * Internet access for the unit's workloads and workstations.
     */
    internet?: {
      /**
       * Contracted bandwidth in Mbit/s.
       */
      bandwidthMbps: number;
    };
    /**
     * Workstation antivirus from the central console.
     */
    antivirus?: {
      /**
       * Number of protected workstations.
       */
      seats: number;
      /**
       * Protection policy the central console applies.
       */
      policy: "standard" | "strict";
    };
    /**
     * Network protection: the unit's internet traffic goes through the central filtering proxy.
     */
    networkProtection?: {
      /**
       * Filtering profile of the central proxy.
       */
      profile: "basic" | "standard" | "strict";
    };
    /**
     * E-mail: a mail tenant on the city's shared mail platform.
     */
    mail?: {
      /**
       * The mail domain; it must end in one of the stack's allowed suffixes and belong to no other unit.
       */
      domain: string;
      /**
       * Most mailboxes the unit may have.
       */
      mailboxLimit: number;
      /**
       * Quota of a mailbox that sets none.
       */
      defaultQuota: string;
      /**
       * Most storage all the unit's mailboxes may take together; unset means mailboxLimit × defaultQuota.
       */
      quotaLimit?: string;
      /**
       * The unit's mailboxes.
       *
       * Items: A mailbox.
       */
      mailboxes: {
        /**
         * Address before the @ in the unit's domain.
         */
        localPart: string;
        /**
         * Name shown to recipients.
         */
        displayName: string;
        /**
         * Mailbox quota; defaultQuota when unset.
         */
        quota?: string;
      }[];
      /**
       * Aliases: addresses that deliver to mailboxes or other addresses.
       *
       * Items: An alias.
       */
      aliases: {
        /**
         * Alias address before the @ in the unit's domain.
         */
        name: string;
        /**
         * Targets: a local part in the unit's domain or a full address.
         *
         * @minItems 1
         *
         * Items: A local part in the unit's domain or a full address.
         */
        to: [string, ...string[]];
      }[];
    };
    /**
     * Server infrastructure: a compute and storage quota on the central cluster, and virtual machines inside it.
     */
    servers?: {
      /**
       * The unit's share of the central cluster.
       */
      quota: {
        /**
         * Total CPU the unit's workloads may request.
         */
        cpu: string;
        /**
         * Total memory the unit's workloads may request.
         */
        memory: string;
        /**
         * Total persistent storage the unit may claim.
         */
        storage: string;
        /**
         * Most pods at once.
         */
        pods: number;
        /**
         * Most persistent volume claims.
         */
        volumes: number;
      };
      /**
       * Virtual machines (KubeVirt) the unit runs inside its quota.
       *
       * Items: A virtual machine.
       */
      vms: {
        /**
         * VM name inside the unit.
         */
        name: string;
        /**
         * Virtual CPU cores.
         */
        cpu: number;
        /**
         * Guest memory.
         */
        memory: string;
        /**
         * Size of the system disk, on a retained volume.
         */
        disk: string;
        /**
         * Operating system image from the stack's image catalogue.
         */
        image: string;
        /**
         * Whether the VM should run.
         */
        running: boolean;
      }[];
    };
    /**
     * Central printing: the unit's queues on the shared CUPS server.
     */
    print?: {
      /**
       * Print queues; their CUPS names are prefixed with the unit id.
       *
       * @minItems 1
       *
       * Items: A print queue.
       */
      queues: [
        {
          /**
           * Queue name inside the unit (the CUPS name is <id>-<name>).
           */
          name: string;
          /**
           * Where the printer stands.
           */
          location: string;
          /**
           * What users see as the printer's description.
           */
          description?: string;
          /**
           * Device URI of the printer: ipp, ipps, socket or lpd.
           */
          deviceUri: string;
          /**
           * Driverless printing (IPP Everywhere); set false and give model for a driver-based printer.
           */
          driverless: boolean;
          /**
           * Printer model (PPD name) when the queue is not driverless.
           */
          model?: string;
        },
        ...{
          /**
           * Queue name inside the unit (the CUPS name is <id>-<name>).
           */
          name: string;
          /**
           * Where the printer stands.
           */
          location: string;
          /**
           * What users see as the printer's description.
           */
          description?: string;
          /**
           * Device URI of the printer: ipp, ipps, socket or lpd.
           */
          deviceUri: string;
          /**
           * Driverless printing (IPP Everywhere); set false and give model for a driver-based printer.
           */
          driverless: boolean;
          /**
           * Printer model (PPD name) when the queue is not driverless.
           */
          model?: string;
        }[],
      ];
      /**
       * Queue name (within the unit) that is the unit's default.
       */
      defaultQueue?: string;
    };
    /**
     * Web and BIP sites hosted on the central cluster.
     */
    web?: {
      /**
       * The unit's sites.
       *
       * @minItems 1
       *
       * Items: A web site.
       */
      sites: [
        {
          /**
           * The site's host name; it must end in one of the stack's allowed suffixes and be unique across all units.
           */
          hostname: string;
          /**
           * www: the unit's web site; bip: its Public Information Bulletin (listed in the bipRegistry).
           */
          kind: "www" | "bip";
          /**
           * Site title, for reports and the BIP registry.
           */
          title?: string;
          /**
           * Size of the retained content volume.
           */
          storage: string;
          /**
           * Number of web server replicas.
           */
          replicas: number;
        },
        ...{
          /**
           * The site's host name; it must end in one of the stack's allowed suffixes and be unique across all units.
           */
          hostname: string;
          /**
           * www: the unit's web site; bip: its Public Information Bulletin (listed in the bipRegistry).
           */
          kind: "www" | "bip";
          /**
           * Site title, for reports and the BIP registry.
           */
          title?: string;
          /**
           * Size of the retained content volume.
           */
          storage: string;
          /**
           * Number of web server replicas.
           */
          replicas: number;
        }[],
      ];
    };
  };
}
/**
 * A user or group in the city's directory (the identity Kubernetes sees from the OIDC login).
 */
export interface Identity {
  /**
   * Whether the identity is a single user or a directory group.
   */
  kind: "user" | "group";
  /**
   * The name the directory gives the identity (user principal name or group name); never in Kubernetes' reserved system: space, and a group belongs to one unit.
   */
  name: string;
  /**
   * Full name of the person or group, for reports.
   */
  displayName?: string;
}
