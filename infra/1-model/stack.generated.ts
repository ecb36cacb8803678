/* Generated from schemas/stack.schema.json by scripts/gen-types.mjs. Do not edit: change the schema and run `npm run gen:types`. */

/**
 * Settings of one Pulumi stack of muni (the `muni:settings` key of stacks/Pulumi.<stack>.yaml): the cluster, the platform services units connect to, naming, limits, and which units the stack takes.
 */
export interface StackSettings {
  /**
   * Lifecycle and data safety of the stack's units: which onboarding waves are live, the mass-removal guard, protection of data-bearing resources, and the date approvals are checked against.
   */
  lifecycle: {
    /**
     * Onboarding waves whose active and decommissioning units are provisioned; units of other waves are validated and reported only. Default: every wave.
     *
     * @minItems 1
     *
     * Items: A wave number (as lifecycle.wave of a unit).
     */
    liveWaves: [number, ...number[]];
    /**
     * Largest share of the previously provisioned units that may stop being provisioned (decommissioned, dropped from the live waves) in one change; more is refused unless allowMassRemoval is set. One unit is always allowed.
     */
    maxRemovalShare: number;
    /**
     * Override of the mass-removal guard for one deliberate change (set it, apply, and unset it again); the CLI's --allow-mass-removal does the same for one run.
     */
    allowMassRemoval: boolean;
    /**
     * Also mark the data-bearing resources of active units `protect` in Pulumi, so no deployment can delete them; decommissioning lifts the protection (retainOnDelete stays).
     */
    protectData: boolean;
    /**
     * The date approvals are checked against, for tests and rehearsals; unset: the MUNI_TODAY environment variable, else the real date.
     */
    today?: string;
  };
  /**
   * The Kubernetes cluster the stack provisions.
   */
  cluster: {
    /**
     * kubeconfig context of the cluster; unset uses the current context of the kubeconfig Pulumi sees.
     */
    context?: string;
    /**
     * Path of the kubeconfig file; unset uses KUBECONFIG or ~/.kube/config.
     */
    kubeconfigPath?: string;
    /**
     * Use server-side apply.
     */
    serverSideApply: boolean;
    /**
     * Where the cluster DNS runs, for the DNS egress rule.
     */
    dns: {
      /**
       * Namespace of the cluster DNS.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
    };
  };
  /**
   * Prefix of every unit namespace: the namespace of unit <id> is <prefix><id>.
   */
  namespacePrefix: string;
  /**
   * The central platform services that units connect to, each in its own namespace.
   */
  platform: {
    /**
     * The shared mail platform (Postfix and Dovecot).
     */
    mail: {
      /**
       * Public host name of the mail platform: the MX target of every tenant domain and the SPF/HELO name; unset means mail.<first mail suffix>.
       */
      mxHost?: string;
      /**
       * DKIM selector of every tenant domain: the key is published at <selector>._domainkey.<domain>.
       */
      dkimSelector: string;
      /**
       * DMARC policy (p=) published for every tenant domain.
       */
      dmarcPolicy: "none" | "quarantine" | "reject";
      /**
       * Mailbox that receives aggregate DMARC reports (rua=) for every tenant domain; unset publishes no rua.
       */
      dmarcReports?: string;
      /**
       * Container image of the mail server, built from images/mail/Dockerfile by .github/workflows/images.yml; pinned: a digest (`@sha256:<64 hex>`, optionally after a tag) or a version tag (`:1.2.3`, `:v1.2.3-rc.1`); `:latest` and other moving tags are refused (see docs/mail-and-print.md).
       */
      image: string;
      /**
       * Size of the mail server's retained volume holding every tenant's mailboxes.
       */
      storage: string;
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
    };
    /**
     * The shared print server (CUPS).
     */
    print: {
      /**
       * Suffix of the directory group of a unit's staff: only members of <id><suffix> may print to the unit's queues.
       */
      groupSuffix: string;
      /**
       * Host name clients use for the print server; unset means the in-cluster Service name cups.<namespace>.svc.
       */
      hostname?: string;
      /**
       * Container image of the print server, built from images/print/Dockerfile by .github/workflows/images.yml; pinned: a digest (`@sha256:<64 hex>`, optionally after a tag) or a version tag (`:1.2.3`, `:v1.2.3-rc.1`); `:latest` and other moving tags are refused (see docs/mail-and-print.md).
       */
      image: string;
      /**
       * kubernetes.io/tls Secret in the print namespace with the print server's certificate for its host name (tls.crt, tls.key), made by the city's CA or cert-manager: clients authenticate with HTTP Basic, which the server accepts over TLS only.
       */
      tlsSecret: string;
      /**
       * User names of the central administrators who may change queues and jobs on the print server (HTTP Basic over TLS); their password hashes are in the Secret cups-administrators (key passwd, lines <user>:<SHA-512 crypt>) they keep in the print namespace.
       *
       * @minItems 1
       *
       * Items: A user name (not print-<unit>, which are the units' print accounts).
       */
      administrators: [string, ...string[]];
      /**
       * Size of the print server's retained volume (spool and state).
       */
      storage: string;
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
      /**
       * Networks the units' printers are in: the print server may reach only these (and the cluster DNS), and a queue's device URI that names an IP address must lie in one. Default: none (queues must name their printers by host name under the unit's zones, and the print server reaches no printer until the stack lists their networks).
       *
       * Items: A network in CIDR notation (IPv4 or IPv6), with its host bits zero.
       */
      printerNetworks: string[];
    };
    /**
     * The central finance-accounting system.
     */
    finance: {
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
    };
    /**
     * The central antivirus console.
     */
    antivirus: {
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
    };
    /**
     * The central filtering proxy of network protection.
     */
    proxy: {
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
    };
    /**
     * The ingress controller that serves the units' sites.
     */
    ingress: {
      /**
       * Namespace the platform service runs in.
       */
      namespace: string;
      /**
       * Pod labels that select the platform's pods in its namespace.
       */
      podLabels: {
        /**
         * A label value.
         */
        [k: string]: string | undefined;
      };
      /**
       * TCP ports units may reach on the platform.
       *
       * Items: A TCP port.
       */
      ports: number[];
    };
  };
  /**
   * DNS suffixes units may use.
   */
  dnsSuffixes: {
    /**
     * Allowed suffixes of site hostnames.
     *
     * @minItems 1
     *
     * Items: A DNS suffix: names equal to it or ending in .<suffix> are allowed.
     */
    sites: [string, ...string[]];
    /**
     * Allowed suffixes of mail domains.
     *
     * @minItems 1
     *
     * Items: A DNS suffix: names equal to it or ending in .<suffix> are allowed.
     */
    mail: [string, ...string[]];
  };
  /**
   * Names of a stack that must not serve production's (staging): every site host name and mail domain of the units that ends in a key is served under the key's value instead (the longest matching key wins), e.g. bip.mpu.lodz.pl → bip.mpu.staging.lodz.pl. Manifests keep production's names and are checked against dnsSuffixes as written. Default: {} (names as in the manifests).
   */
  dnsRewrite: {
    /**
     * The suffix this stack uses instead.
     */
    [k: string]: string | undefined;
  };
  /**
   * Central capacity of the cluster for units: the sum of unit quotas must fit it, times the over-commit factor.
   */
  capacity: {
    /**
     * CPU available to units.
     */
    cpu: string;
    /**
     * Memory available to units.
     */
    memory: string;
    /**
     * Persistent storage available to units.
     */
    storage: string;
    /**
     * Most virtual machines across units.
     */
    vms: number;
    /**
     * Factor by which the sum of unit quotas may exceed the capacity (1 = none).
     */
    overcommit: number;
  };
  /**
   * Quota of a unit not enrolled in servers (its namespace still gets one).
   */
  defaultQuota: {
    /**
     * CPU requests.
     */
    cpu: string;
    /**
     * Memory requests.
     */
    memory: string;
    /**
     * Persistent storage.
     */
    storage: string;
    /**
     * Most pods.
     */
    pods: number;
    /**
     * Most persistent volume claims.
     */
    volumes: number;
  };
  /**
   * How units' web and BIP sites run: the web server image and its resources, TLS, ingress and content storage.
   */
  web: {
    /**
     * Container image of the web server: an nginx that runs as a non-root user (muni mounts its own nginx.conf, listening on 8080).
     */
    image: string;
    /**
     * Non-root user id (and group id) the web server runs as; the image's nginx user.
     */
    runAsUser: number;
    /**
     * Requests and limits of one web server container; every replica counts against the unit's quota.
     */
    resources: {
      /**
       * What one container requests.
       */
      requests: {
        /**
         * CPU.
         */
        cpu: string;
        /**
         * Memory.
         */
        memory: string;
      };
      /**
       * The most one container may use.
       */
      limits: {
        /**
         * CPU.
         */
        cpu: string;
        /**
         * Memory.
         */
        memory: string;
      };
    };
    /**
     * cert-manager ClusterIssuer that signs every site's TLS certificate.
     */
    clusterIssuer: string;
    /**
     * IngressClass of the sites' Ingresses.
     */
    ingressClassName: string;
    /**
     * StorageClass of the site content volumes; unset uses the cluster default.
     */
    storageClass?: string;
    /**
     * Access mode of the content volumes. ReadWriteMany lets replicas run on different nodes; it is fixed per stack because a volume's mode cannot change later.
     */
    contentAccessMode: "ReadWriteMany" | "ReadWriteOnce";
  };
  /**
   * How units' virtual machines (KubeVirt) run: the operating system image catalogue, disk storage and the memory overhead counted against quotas.
   */
  vm: {
    /**
     * The image catalogue: image name (as units write it in services.servers.vms[].image) → where the system disk is imported from.
     */
    images: {
      /**
       * One catalogue image: exactly one source (registry, http or dataSource).
       */
      [k: string]:
        | {
            /**
             * Container disk image to import (CDI registry source); set exactly one of registry, http and dataSource.
             */
            registry?: string;
            /**
             * Disk image URL to import (CDI http source); set exactly one of registry, http and dataSource.
             */
            http?: string;
            /**
             * A CDI DataSource (golden image) to clone; set exactly one of registry, http and dataSource.
             */
            dataSource?: {
              /**
               * Name of the DataSource.
               */
              name: string;
              /**
               * Namespace of the DataSource.
               */
              namespace: string;
            };
            /**
             * Guest operating system: windows adds the Hyper-V enlightenments and a local-time clock.
             */
            os: "linux" | "windows";
            /**
             * Disk bus: virtio (fast, needs guest drivers) or sata (any guest).
             */
            bus: "virtio" | "sata";
          }
        | undefined;
    };
    /**
     * StorageClass of VM system disks; unset uses the cluster default.
     */
    storageClass?: string;
    /**
     * Estimate of KubeVirt's per-VM memory overhead (virt-launcher, QEMU, page tables) counted against quotas on top of guest memory: base + perVcpu × vCPUs + guestPermille/1000 × guest memory, rounded up to a MiB.
     */
    memoryOverhead: {
      /**
       * Fixed overhead per VM.
       */
      base: string;
      /**
       * Overhead per virtual CPU.
       */
      perVcpu: string;
      /**
       * Overhead per 1000 bytes of guest memory (page tables).
       */
      guestPermille: number;
    };
  };
  /**
   * The city's central technical administrators (from the city's operations order): admin in every unit namespace.
   */
  centralAdministrators: {
    /**
     * user or group.
     */
    kind: "user" | "group";
    /**
     * Directory name of the user or group.
     */
    name: string;
  };
  /**
   * Tenant isolation (docs/security.md), owned by the central administrators: the DNS zones each unit may use, names and namespaces no unit may take, whom units may name in their roles, and what the workloads in unit namespaces may use.
   */
  tenancy: {
    /**
     * DNS zones delegated to units: unit id → the zones its site hostnames and mail domain must lie in (a zone holds its own name and every name under it). A unit not listed here gets <id>.<first site suffix>, and <id>.<first mail suffix> when that differs. Zones of two units never overlap.
     */
    zones: {
      /**
       * The unit's zones.
       *
       * @minItems 1
       *
       * Items: A DNS zone.
       */
      [k: string]: [string, ...string[]] | undefined;
    };
    /**
     * The city hall's own domains and any other names no unit may hold, each with every name under it. Reserved without being listed: the apex of every DNS suffix (dnsSuffixes), the mail platform's host (platform.mail.mxHost, else mail.<first mail suffix>), the print server's host name and the ingress controller's hosts.
     *
     * Items: A reserved DNS name.
     */
    reservedNames: string[];
    /**
     * Public host names of the ingress controller itself (its load balancer and status pages): reserved, no unit may hold them.
     *
     * Items: A host name of the ingress controller.
     */
    ingressHosts: string[];
    /**
     * Namespaces no unit's namespace (or VM namespace) may be. Always reserved besides these: default, every kube-* namespace, the stack's platform namespaces (mail, print, finance, antivirus, proxy, ingress), the cluster DNS namespace and the namespaces of the VM image catalogue's data sources.
     *
     * Items: A namespace name.
     */
    reservedNamespaces: string[];
    /**
     * Whom units may name in their roles. Names in Kubernetes' reserved system: space and the stack's central administrators are always refused, and a directory group belongs to one unit.
     */
    identities: {
      /**
       * Regular expression (JavaScript syntax, matched against the whole name) every group in a unit's roles must match; {id} stands for the unit id. Unset: any group name.
       */
      groupPattern?: string;
      /**
       * Whether any user may be named in the roles of several units; when false only the users in sharedUsers may.
       */
      allowSharedUsers: boolean;
      /**
       * Users who may serve several units (named in the roles of more than one), such as a shared IT officer.
       *
       * Items: A user's directory name.
       */
      sharedUsers: string[];
    };
    /**
     * What workloads in unit namespaces may use, enforced by the ValidatingAdmissionPolicies muni installs (muni-unit-*): images, storage classes, ingress classes. Service externalIPs, NodePort, LoadBalancer and ExternalName Services are always refused.
     */
    workloads: {
      /**
       * Image prefixes pods in unit namespaces may use: a registry host, a registry path or a repository; an image is allowed when it starts with an entry followed by '/', ':' or '@'. The repository of web.image is always allowed. The default allows cert-manager's ACME solver, which answers HTTP-01 challenges in the unit's namespace.
       *
       * Items: A registry host (with an optional port), path or repository, without a trailing slash.
       */
      allowedRegistries: string[];
      /**
       * StorageClasses volume claims in unit namespaces may name, besides web.storageClass; a claim that names none gets the cluster's default class.
       *
       * Items: A StorageClass name.
       */
      storageClasses: string[];
      /**
       * IngressClasses the Ingresses in unit namespaces may use, besides web.ingressClassName; an Ingress must name its class.
       *
       * Items: An IngressClass name.
       */
      ingressClasses: string[];
    };
    /**
     * Addresses of the Kubernetes API server (its endpoints and load balancer), excluded from every egress rule muni writes, so no workload reaches the API through an internet or printer-network allowance. Private, link-local (cloud metadata) and loopback ranges are excluded anyway.
     *
     * Items: An API server address range in CIDR notation.
     */
    apiServerNetworks: string[];
  };
  /**
   * Which units the stack takes (validates against its settings, reports, records in its ledger and, in its live waves, provisions): the manifests in directories that match any of its rules, by id, by onboarding wave or by labels. With no rule, every manifest in directories.
   */
  units: {
    /**
     * Directories of manifests, relative to the project root.
     *
     * @minItems 1
     *
     * Items: A directory.
     */
    directories: [string, ...string[]];
    /**
     * Units taken by id, whatever their wave or labels; their order is also the order of the reports' rows (Lp.), listed units first. Unset: no unit is taken by id.
     *
     * Items: A unit id.
     */
    ids?: string[];
    /**
     * Units taken by onboarding wave (lifecycle.wave): a new unit of one of these waves is taken as soon as its manifest is merged. lifecycle.liveWaves then says which of the taken units are provisioned. Unset: no unit is taken by wave.
     *
     * @minItems 1
     *
     * Items: A wave number (as lifecycle.wave of a unit).
     */
    waves?: [number, ...number[]];
    /**
     * Units taken by labels: a unit whose labels include all of these. Unset: no unit is taken by labels.
     */
    labels?: {
      /**
       * A label value.
       */
      [k: string]: string | undefined;
    };
  };
  /**
   * Price list of the IT centre's chargeback: net monthly prices in PLN per unit of each service, multiplied by what each provisioned unit is enrolled in (muni report).
   */
  prices: {
    /**
     * Currency of every price: Polish złoty.
     */
    currency: "PLN";
    /**
     * VAT rate in percent added on top of the net monthly total of each unit; unset: net amounts only (internal settlement outside VAT).
     */
    vatPercent?: number;
    /**
     * Central finance-accounting system: one named user licence. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    financeUser: number;
    /**
     * Central finance-accounting system: one enabled module. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    financeModule: number;
    /**
     * Internet access: one Mbit/s of contracted bandwidth. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    internetMbps: number;
    /**
     * Workstation antivirus: one protected workstation. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    antivirusSeat: number;
    /**
     * Network protection: the unit's traffic through the central filtering proxy, flat per unit. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    networkProtection: number;
    /**
     * E-mail: one mailbox. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    mailbox: number;
    /**
     * Server infrastructure: one vCPU of the unit's quota (fractions pro rata). Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    vcpu: number;
    /**
     * Server infrastructure: one GiB of memory of the unit's quota (fractions pro rata). Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    memoryGiB: number;
    /**
     * Server infrastructure: one GiB of persistent storage of the unit's quota (fractions pro rata). Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    storageGiB: number;
    /**
     * Central printing: one print queue. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    printQueue: number;
    /**
     * Web and BIP sites: one hosted site. Net PLN per month, at most 2 decimal places; 0 = not charged.
     */
    site: number;
  };
  /**
   * How the city's Pulumi stacks are run: `<stack>.platform` (the shared servers) and `<stack>.<unit id>` (one unit each). The state backend and secrets provider every stack of the city uses, the credentials they need, the Git repository the Pulumi Kubernetes Operator deploys from, and the operator's settings (docs/operator.md). Needed by `muni operator`, `muni preview`, `muni up` and `muni migrate`; the Pulumi program itself does not read it.
   */
  pulumi?: {
    /**
     * State backend URL (`pulumi login` and PULUMI_BACKEND_URL): the city's self-managed S3-compatible store (MinIO, Ceph RGW) with its endpoint in the query, e.g. `s3://muni-state?endpoint=s3.dc.uml.lodz.pl&s3ForcePathStyle=true&region=pl-lodz-1`.
     */
    backend: string;
    /**
     * Secrets provider every stack of the city is created with (`pulumi stack init --secrets-provider`): HashiCorp Vault transit `hashivault://<key>`, a KMS the city runs, or `passphrase`.
     */
    secretsProvider: string;
    /**
     * The credentials of the state backend and the secrets provider, as environment variables: in CI repository secrets of the same names, for the operator one Kubernetes Secret holding one key per variable.
     */
    credentials: {
      /**
       * Name of the Kubernetes Secret, in the operator's namespace, holding one key per credential variable (the operator passes each to the stack's workspace). Default: muni-pulumi-credentials.
       */
      secretName: string;
      /**
       * The credential variables; unset: derived from backend and secretsProvider (s3: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; hashivault: VAULT_ADDR and VAULT_TOKEN; passphrase: PULUMI_CONFIG_PASSPHRASE; awskms, azurekeyvault, gcpkms: their SDKs' variables).
       *
       * @minItems 1
       *
       * Items: An environment variable name.
       */
      variables?: [string, ...string[]];
    };
    /**
     * The Git repository of this project, which the Pulumi Kubernetes Operator clones for every stack (needed by `muni operator`).
     */
    repository?: {
      /**
       * Clone URL of the repository.
       */
      url: string;
      /**
       * The branch deployed: the operator polls it and runs each new commit. Default: main.
       */
      branch: string;
      /**
       * For a private repository over HTTPS: the name of a Secret in the operator's namespace whose key `accessToken` holds a read-only token; unset: the repository is cloned without credentials.
       */
      tokenSecret?: string;
    };
    /**
     * The Pulumi Kubernetes Operator (v2) objects `muni operator` writes for this city (docs/operator.md).
     */
    operator: {
      /**
       * Namespace of the Stack objects, the provisioner's ServiceAccount and the stacks' workspace pods. Default: muni-system.
       */
      namespace: string;
      /**
       * The ServiceAccount every stack's workspace runs as; `muni operator` writes it and its RBAC (what the program registers, nothing more). Default: muni-provisioner.
       */
      serviceAccount: string;
      /**
       * deploy: apply every new commit of the branch, drift is reported by the nightly drift workflow and never set back; deploy-and-remediate: also refresh and apply every resync, setting drift back; preview: never apply, preview every commit and every resync (report-only drift in each Stack's status; engineers apply with `muni up`). Default: deploy.
       */
      mode: "deploy" | "deploy-and-remediate" | "preview";
      /**
       * How often the operator polls the branch for new commits (and, with deploy-and-remediate or preview, re-runs the stack on the same commit). Default: 600.
       */
      resyncFrequencySeconds: number;
      /**
       * A unit stack runs only when the platform stack succeeded within this duration (the operator's prerequisite), so tenants never land in platform namespaces that are not there. Default: 24h.
       */
      platformSucceededWithin: string;
      /**
       * The workspace pod each stack runs in.
       */
      workspace: {
        /**
         * Workspace image: the Pulumi CLI of .pulumi.version and Node.js 24 (the program refuses an older Node); `{pulumiVersion}` is replaced by the version pinned in .pulumi.version. Default: pulumi/pulumi-nodejs-24:{pulumiVersion}.
         */
        image: string;
        /**
         * Delete each workspace pod after a successful run (one pod per stack would otherwise stay: a city of 10,000 units) or Retain it. Default: Delete.
         */
        reclaim: "Delete" | "Retain";
        /**
         * Requests and limits of the workspace's Pulumi container.
         */
        resources: {
          /**
           * Requested CPU and memory (Kubernetes quantities).
           */
          requests?: {
            /**
             * A quantity.
             */
            [k: string]: string | undefined;
          };
          /**
           * CPU and memory limits (Kubernetes quantities).
           */
          limits?: {
            /**
             * A quantity.
             */
            [k: string]: string | undefined;
          };
        };
      };
    };
  };
  /**
   * Backups of the units and the platform on Velero (docs/backup-and-monitoring.md): where they go, the classes units choose from, and the shortest retention allowed. Unset: muni renders no backup schedules.
   */
  backup?: {
    /**
     * Namespace of the Velero server: every Schedule lives there. Default: velero.
     */
    namespace: string;
    /**
     * Name of the Velero BackupStorageLocation every backup is written to (the city's object store).
     */
    storageLocation: string;
    /**
     * Shortest retention any schedule may keep backups for, as a Go duration (h, m, s; no days): a class or the platform below it is refused.
     */
    minimumRetention: string;
    /**
     * How long the backups a unit takes while it is decommissioning (its last ones) are kept, as a Go duration; at least minimumRetention. Unset: the class's retention.
     */
    decommissionedRetention?: string;
    /**
     * The platform's backup (always rendered): the shared mail and print servers' namespaces, with the mail volume that holds every unit's mailboxes.
     */
    platform: {
      /**
       * When the platform is backed up: a standard 5-field cron expression (minute hour day-of-month month day-of-week), in the Velero server's time zone.
       */
      schedule: string;
      /**
       * How long each platform backup is kept (Velero ttl), as a Go duration.
       */
      retention: string;
    };
    /**
     * Backup classes by name: what a unit's backup takes and how often. A unit picks one (backupClass) or gets its service class's.
     */
    classes: {
      /**
       * One backup class.
       */
      [k: string]:
        | {
            /**
             * What the class is for, in the IT centre's words (shown in the report).
             */
            description?: string;
            /**
             * When the unit's backups run: a standard 5-field cron expression, in the Velero server's time zone.
             */
            schedule: string;
            /**
             * How long each backup is kept (Velero ttl), as a Go duration; at least minimumRetention.
             */
            retention: string;
            /**
             * What the backups take: objects (every Kubernetes object of the unit's namespaces), sites (the site content volumes, file-system backup), vmDisks (the VM disks, CSI snapshots), mail (the mailboxes, which live on the platform's shared mail volume: covered by the platform backup).
             *
             * @minItems 1
             *
             * Items: One kind of data.
             */
            data: ["objects" | "sites" | "vmDisks" | "mail", ...("objects" | "sites" | "vmDisks" | "mail")[]];
          }
        | undefined;
    };
  };
  /**
   * Monitoring on the Prometheus Operator (docs/backup-and-monitoring.md): blackbox probes of every site and of the mail and print ports, and per unit a PrometheusRule. Unset: muni renders no monitoring objects.
   */
  monitoring?: {
    /**
     * Namespace of the Probes and PrometheusRules (the central administrators'; units cannot change their own alerts). Default: monitoring.
     */
    namespace: string;
    /**
     * host:port of the blackbox exporter the probes go through.
     */
    proberUrl: string;
    /**
     * Labels every Probe and PrometheusRule carries, so the city's Prometheus selects them (its probeSelector and ruleSelector). Default: none.
     */
    labels: {
      /**
       * A label value.
       */
      [k: string]: string | undefined;
    };
    /**
     * How often each probe runs. Default: 60s.
     */
    interval: string;
    /**
     * Blackbox exporter module names (its blackbox.yml): HTTP 2xx over HTTPS, TLS handshake (certificate expiry), TCP connect.
     */
    modules: {
      /**
       * Module of the site probes: expects HTTP 2xx. Default: http_2xx.
       */
      http: string;
      /**
       * Module of the certificate probes: a TLS handshake on port 443, giving probe_ssl_earliest_cert_expiry. Default: tls_connect.
       */
      tls: string;
      /**
       * Module of the mail and print port probes: a TCP connect. Default: tcp_connect.
       */
      tcp: string;
    };
    /**
     * Alert when a site's certificate expires in fewer days than this (cert-manager renews 30 days ahead). Default: 21.
     */
    tlsExpiryDays: number;
  };
  /**
   * Service levels of the IT centre (docs/backup-and-monitoring.md): the classes a unit picks from (serviceClass), each with its hours, availability target, backup class and price.
   */
  serviceClasses?: {
    /**
     * Class of the units whose manifest names none.
     */
    default: string;
    /**
     * Service classes by name.
     */
    classes: {
      /**
       * One service class.
       */
      [k: string]:
        | {
            /**
             * The class in the IT centre's words (shown in the report).
             */
            description?: string;
            /**
             * When the IT centre responds to alerts: business (working days 7:30-15:30, Alertmanager's time interval `business-hours`) or always (24/7).
             */
            hours: "business" | "always";
            /**
             * Monthly availability target of the unit's sites, in percent.
             */
            availability: number;
            /**
             * Backup class (backup.classes) of the class's units, unless a unit names its own.
             */
            backupClass: string;
            /**
             * How long a site may fail its probe before the alert fires. Default: 5m.
             */
            siteDownAfter: string;
            /**
             * Net PLN per month the class costs a unit (chargeback), at most 2 decimal places. Default: 0.
             */
            price: number;
          }
        | undefined;
    };
  };
}
