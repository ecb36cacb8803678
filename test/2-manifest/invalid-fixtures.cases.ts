/**
 * Every committed malformed manifest in test/fixtures/units-invalid/, what is wrong with it, and the exact located
 * messages `file:line:col: field: message (hint)` muni must print for it (file names relative to that directory).
 */
export const CASES: ReadonlyArray<[file: string, defect: string, lines: string[]]> = [
  [
    "bad-dates-and-codes.yaml",
    "a bad postal code, an impossible date, a bad device URI",
    [
      'bad-dates-and-codes.yaml:7:15: address.postalCode: must be a string, got number 90926 (e.g. "90-418")',
      'bad-dates-and-codes.yaml:20:16: lifecycle.onboardedOn: "2026-02-30" is not a valid date (Date the unit went live on shared IT; e.g. "2026-03-01")',
      'bad-dates-and-codes.yaml:54:20: services.print.queues[0].deviceUri: "http://drukarka/print" is not a valid printer device URI (Device URI of the printer: ipp, ipps, socket or lpd; e.g. "ipps://drukarka-12.mpu.lodz.pl/ipp/print")',
    ],
  ],
  [
    "bad-email.yaml",
    "an alias target that is not an address",
    [
      'bad-email.yaml:37:27: services.mail.aliases[0].to[1]: "jan@@lodz.pl" is not a valid alias target (A local part in the unit\'s domain or a full address; e.g. "sekretariat")',
    ],
  ],
  [
    "bad-enum.yaml",
    "misspelt enum values",
    [
      'bad-enum.yaml:18:10: lifecycle.state: "activ" is not one of: planned, active, decommissioning, decommissioned (did you mean "active"?)',
      'bad-enum.yaml:28:14: services.networkProtection.profile: "strickt" is not one of: basic, standard, strict (did you mean "strict"?)',
      'bad-enum.yaml:58:15: services.web.sites[0].kind: "bulletin" is not one of: www, bip (www: the unit\'s web site; bip: its Public Information Bulletin (listed in the bipRegistry))',
    ],
  ],
  [
    "bad-finance-module.yaml",
    "a finance module that does not exist",
    [
      'bad-finance-module.yaml:22:30: services.finance.modules[1]: "generalLeger" is not one of: budgetReporting, budgetPlanning, generalLedger, settlements, contractsRegister, invoicing, assetRegister (did you mean "generalLedger"?)',
    ],
  ],
  [
    "bad-hostname.yaml",
    "a site hostname that is not a DNS name",
    [
      'bad-hostname.yaml:57:19: services.web.sites[0].hostname: "www_bip.lodz.pl" is not a valid DNS name (The site\'s host name; it must end in one of the stack\'s allowed suffixes and be unique across all units; e.g. "mpu.lodz.pl")',
    ],
  ],
  [
    "bad-id.yaml",
    "an id that is not a DNS label",
    [
      'bad-id.yaml:2:5: id: "Bad_Id" is not a valid unit id (Stable identifier of the unit, a DNS-1123 label: it becomes the namespace and the prefix of every name, and must equal the file name. Never change it; e.g. "mpu")',
    ],
  ],
  [
    "bad-mail-domain.yaml",
    "a mail domain with upper case and no dot",
    [
      'bad-mail-domain.yaml:30:13: services.mail.domain: "LODZ" is not a valid DNS name (The mail domain; it must end in one of the stack\'s allowed suffixes and belong to no other unit; e.g. "mpu.lodz.pl")',
    ],
  ],
  [
    "bad-nip.yaml",
    "a NIP with a wrong check digit",
    [
      'bad-nip.yaml:10:6: nip: "7251234562" is not a valid NIP number (NIP tax identification number, 10 digits without dashes; its check digit is verified; e.g. "7251234561")',
    ],
  ],
  [
    "bad-regon.yaml",
    "a REGON with a wrong check digit, and one of the wrong length",
    [
      'bad-regon.yaml:10:8: regon: "123456786" is not a valid REGON number (REGON statistical number, 9 or 14 digits; its check digit is verified; e.g. "123456785")',
    ],
  ],
  [
    "comments-only.yaml",
    "nothing but comments",
    [
      "comments-only.yaml:1:1: file is empty (a manifest needs at least id, name, shortName, address, costCentre, roles and lifecycle)",
    ],
  ],
  [
    "decommissioning-without-approval.yaml",
    "state decommissioning with no approval",
    [
      'decommissioning-without-approval.yaml:17:1: lifecycle.approval: missing required field "approval" when state is "decommissioning" (approval: Approval of decommissioning: required in states decommissioning and decommissioned, void after expiresOn)',
    ],
  ],
  [
    "default-queue-unknown.yaml",
    "defaultQueue names no queue",
    [
      'default-queue-unknown.yaml:54:19: services.print.defaultQueue: "sekretaryat" is not one of the unit\'s queues (name one of: sekretariat)',
    ],
  ],
  [
    "duplicate-alias.yaml",
    "the same alias twice, and an alias named like a mailbox",
    [
      'duplicate-alias.yaml:38:15: services.mail.aliases[1].name: alias "kancelaria" is listed twice (first at aliases[0]) (remove the duplicate)',
      'duplicate-alias.yaml:40:15: services.mail.aliases[2].name: alias "sekretariat" has the name of a mailbox (an address is either a mailbox or an alias: rename one)',
    ],
  ],
  [
    "duplicate-key-nested.yaml",
    "address.city appears twice",
    [
      'duplicate-key-nested.yaml:9:3: address.city: field "city" appears twice (first on line 8) (each field may appear once: remove or merge the repeated one)',
    ],
  ],
  [
    "duplicate-key.yaml",
    "the field name appears twice",
    [
      'duplicate-key.yaml:5:1: name: field "name" appears twice (first on line 3) (each field may appear once: remove or merge the repeated one)',
    ],
  ],
  [
    "duplicate-mailbox.yaml",
    "the same mailbox twice",
    [
      'duplicate-mailbox.yaml:35:20: services.mail.mailboxes[1].localPart: mailbox "sekretariat" is listed twice (first at mailboxes[0]) (remove the duplicate)',
    ],
  ],
  [
    "duplicate-queue.yaml",
    "the same queue twice",
    [
      'duplicate-queue.yaml:54:15: services.print.queues[1].name: queue "sekretariat" is listed twice (first at queues[0]) (remove the duplicate)',
    ],
  ],
  [
    "duplicate-role.yaml",
    "the same identity twice in one role",
    [
      'duplicate-role.yaml:14:7: roles.localAdministrators[1]: identity "group:duplicate-role-administratorzy" is listed twice (first at localAdministrators[0]) (remove the duplicate)',
    ],
  ],
  [
    "duplicate-site.yaml",
    "the same site twice",
    [
      'duplicate-site.yaml:59:19: services.web.sites[1].hostname: site "www.duplicate-site.lodz.pl" is listed twice (first at sites[0]) (remove the duplicate)',
    ],
  ],
  [
    "duplicate-vm.yaml",
    "the same vm twice",
    [
      // The id itself ends in -vm, the VM namespace suffix (issue 13: names never collide).
      'duplicate-vm.yaml:2:5: id: id "duplicate-vm" ends in "-vm": a unit\'s VM namespace is <namespace>-vm, so this unit\'s namespace would be the VM namespace of a unit "duplicate" (choose an id that does not end in -vm)',
      'duplicate-vm.yaml:49:15: services.servers.vms[1].name: virtual machine "serwer" is listed twice (first at vms[0]) (remove the duplicate)',
    ],
  ],
  [
    "empty.yaml",
    "an empty file",
    [
      "empty.yaml:1:1: file is empty (a manifest needs at least id, name, shortName, address, costCentre, roles and lifecycle)",
    ],
  ],
  [
    "id-mismatch.yaml",
    "an id that does not match the file name",
    [
      'id-mismatch.yaml:2:5: id: id "id-mismatched" does not match the file name "id-mismatch.yaml" (rename the file to id-mismatched.yaml, or fix the id)',
    ],
  ],
  [
    "mailboxes-over-limit.yaml",
    "more mailboxes than mailboxLimit",
    [
      "mailboxes-over-limit.yaml:33:7: services.mail.mailboxes: 2 mailboxes exceed mailboxLimit 1 (raise mailboxLimit or remove mailboxes)",
    ],
  ],
  [
    "merge-key.yaml",
    "a YAML merge key (<<), which is not core YAML 1.2",
    [
      'merge-key.yaml:5:1: defaults: unknown field "defaults" (allowed here: id, name, shortName, address, regon, nip, costCentre, labels, roles, lifecycle, serviceClass, backupClass, services)',
      'merge-key.yaml:8:3: address["<<"]: unknown field "<<" (YAML merge keys are not supported: write the fields out)',
    ],
  ],
  [
    "missing-required.yaml",
    "required fields left out",
    [
      'missing-required.yaml:2:1: shortName: missing required field "shortName" (shortName: The short name or acronym used in reports)',
      'missing-required.yaml:4:1: address.postalCode: missing required field "postalCode" (postalCode: Polish postal code)',
    ],
  ],
  [
    "missing-roles.yaml",
    "services enrolled but nobody named in the roles",
    [
      "missing-roles.yaml:11:24: roles.localAdministrators: needs at least 1 entry once any service is enrolled (name at least one local administrator and one operations lead; one person may hold both)",
      "missing-roles.yaml:12:20: roles.operationsLeads: needs at least 1 entry once any service is enrolled (name at least one local administrator and one operations lead; one person may hold both)",
    ],
  ],
  [
    "model-on-driverless.yaml",
    "a model on a driverless queue",
    [
      'model-on-driverless.yaml:53:9: services.print.queues[0].model: "model" is given, so "driverless" must be false, but it is true by default (remove model, or set driverless: false)',
    ],
  ],
  [
    "null-value.yaml",
    "a field left empty",
    ['null-value.yaml:4:11: shortName: must be a string, got nothing (null) (e.g. "MPU")'],
  ],
  [
    "out-of-range.yaml",
    "numbers outside their limits",
    [
      "out-of-range.yaml:19:9: lifecycle.wave: 13 must be <= 12 (allowed: 1 to 12; Onboarding wave of the resolution's phased rollout; a stack provisions only its live waves)",
      "out-of-range.yaml:26:12: services.antivirus.seats: 0 must be >= 1 (allowed: 1 to 100000; Number of protected workstations)",
    ],
  ],
  [
    "queue-without-model.yaml",
    "a driver-based queue without a model",
    [
      'queue-without-model.yaml:51:9: services.print.queues[0].model: missing required field "model" when driverless is false (model: Printer model (PPD name) when the queue is not driverless)',
    ],
  ],
  [
    "syntax-bad-indent.yaml",
    "a field indented deeper than its siblings",
    [
      "syntax-bad-indent.yaml:6:11: nested mappings are not allowed in compact mappings (the next line is indented deeper than this one: align it with its siblings, or quote a value holding ': ')",
    ],
  ],
  [
    "syntax-missing-space.yaml",
    "no space after the colon",
    [
      "syntax-missing-space.yaml:19:3: implicit map keys need to be followed by map values (write key: value, with a space after the colon)",
    ],
  ],
  [
    "syntax-unclosed-flow.yaml",
    "a flow list that is never closed",
    [
      "syntax-unclosed-flow.yaml:22:14: flow sequence in block collection must be sufficiently indented and end with a ] (close it with ])",
    ],
  ],
  [
    "syntax-unclosed-quote.yaml",
    "a double-quoted string that is never closed",
    ['syntax-unclosed-quote.yaml:4:15: missing closing "quote (close the quote on the same value)'],
  ],
  [
    "tabs.yaml",
    "a tab used for indentation",
    ["tabs.yaml:8:1: tabs are not allowed as indentation (indent with spaces, not tabs)"],
  ],
  [
    "tag-binary.yaml",
    "a !!binary tag",
    [
      "tag-binary.yaml:4:21: shortName: tag !!binary is not allowed (manifests use plain YAML values: remove the tag)",
    ],
  ],
  [
    "tag-custom.yaml",
    "a custom !foo tag",
    [
      "tag-custom.yaml:6:16: address.street: tag !foo is not allowed (manifests use plain YAML values: remove the tag)",
    ],
  ],
  [
    "top-level-list.yaml",
    "the document is a list, not a mapping",
    [
      "top-level-list.yaml:2:1: must be a mapping, got a list (write it as a mapping with id, name, shortName, address, costCentre, roles, lifecycle)",
    ],
  ],
  [
    "top-level-scalar.yaml",
    "the document is a plain string",
    [
      'top-level-scalar.yaml:2:1: must be a mapping, got string "just a string" (write it as a mapping with id, name, shortName, address, costCentre, roles, lifecycle)',
    ],
  ],
  [
    "two-documents.yaml",
    "two YAML documents in one file",
    [
      "two-documents.yaml:20:1: holds 2 YAML documents, not one (one file holds one unit: remove the '---' separator or split the file)",
    ],
  ],
  [
    "undefined-anchor.yaml",
    "an alias to an anchor that does not exist",
    [
      "undefined-anchor.yaml:9:13: costCentre: alias *centrum refers to no anchor (define &centrum before using *centrum, or write the value out)",
    ],
  ],
  [
    "unknown-address.yaml",
    "an unknown address field",
    ['unknown-address.yaml:9:3: address.zip: unknown field "zip" (allowed here: street, postalCode, city)'],
  ],
  [
    "unknown-alias.yaml",
    "an unknown alias field",
    [
      'unknown-alias.yaml:36:9: services.mail.aliases[0].to: missing required field "to" (to: Targets: a local part in the unit\'s domain or a full address)',
      'unknown-alias.yaml:37:9: services.mail.aliases[0].targets: unknown field "targets" (allowed here: name, to)',
    ],
  ],
  [
    "unknown-antivirus.yaml",
    "an unknown antivirus field",
    [
      'unknown-antivirus.yaml:27:5: services.antivirus.vendor: unknown field "vendor" (allowed here: seats, policy)',
    ],
  ],
  [
    "unknown-finance.yaml",
    "an unknown finance field",
    ['unknown-finance.yaml:23:5: services.finance.user: unknown field "user" (did you mean "users"?)'],
  ],
  [
    "unknown-internet.yaml",
    "an unknown internet field",
    [
      'unknown-internet.yaml:24:5: services.internet.bandwidth: unknown field "bandwidth" (did you mean "bandwidthMbps"?)',
    ],
  ],
  [
    "unknown-lifecycle.yaml",
    "an unknown lifecycle field",
    [
      'unknown-lifecycle.yaml:20:3: lifecycle.onboardOn: unknown field "onboardOn" (did you mean "onboardedOn"?)',
    ],
  ],
  [
    "unknown-mail.yaml",
    "an unknown mail field",
    [
      'unknown-mail.yaml:32:5: services.mail.mailboxQuota: unknown field "mailboxQuota" (allowed here: domain, mailboxLimit, defaultQuota, quotaLimit, mailboxes, aliases)',
    ],
  ],
  [
    "unknown-mailbox.yaml",
    "an unknown mailbox field",
    [
      'unknown-mailbox.yaml:35:9: services.mail.mailboxes[0].password: unknown field "password" (allowed here: localPart, displayName, quota)',
    ],
  ],
  [
    "unknown-network-protection.yaml",
    "an unknown networkProtection field",
    [
      'unknown-network-protection.yaml:28:5: services.networkProtection.profiles: unknown field "profiles" (did you mean "profile"?)',
    ],
  ],
  [
    "unknown-print.yaml",
    "an unknown print field",
    [
      'unknown-print.yaml:54:5: services.print.default: unknown field "default" (did you mean "defaultQueue"?)',
    ],
  ],
  [
    "unknown-queue.yaml",
    "an unknown queue field",
    [
      'unknown-queue.yaml:53:9: services.print.queues[0].color: unknown field "color" (allowed here: name, location, description, deviceUri, driverless, model)',
    ],
  ],
  [
    "unknown-role-entry.yaml",
    "an unknown field in a role entry",
    [
      'unknown-role-entry.yaml:13:7: roles.localAdministrators[0].email: unknown field "email" (allowed here: kind, name, displayName)',
    ],
  ],
  [
    "unknown-servers.yaml",
    "an unknown servers field",
    ['unknown-servers.yaml:39:5: services.servers.gpu: unknown field "gpu" (allowed here: quota, vms)'],
  ],
  [
    "unknown-service.yaml",
    "a service the resolution does not have",
    [
      'unknown-service.yaml:23:3: services.telephony: unknown field "telephony" (allowed here: finance, internet, antivirus, networkProtection, mail, servers, print, web)',
    ],
  ],
  [
    "unknown-site.yaml",
    "an unknown site field",
    [
      'unknown-site.yaml:59:9: services.web.sites[0].tls: unknown field "tls" (allowed here: hostname, kind, title, storage, replicas)',
    ],
  ],
  [
    "unknown-top.yaml",
    "an unknown top-level field",
    ['unknown-top.yaml:10:1: costCenter: unknown field "costCenter" (did you mean "costCentre"?)'],
  ],
  [
    "unknown-vm.yaml",
    "an unknown vm field",
    [
      'unknown-vm.yaml:49:9: services.servers.vms[0].ram: unknown field "ram" (allowed here: name, cpu, memory, disk, image, running)',
    ],
  ],
  [
    "unknown-web.yaml",
    "an unknown web field",
    ['unknown-web.yaml:56:5: services.web.cdn: unknown field "cdn" (allowed here: sites)'],
  ],
  [
    "wrong-types.yaml",
    "values of the wrong type",
    [
      'wrong-types.yaml:5:10: address: must be a mapping, got string "ul. Piotrkowska 104" (write it as a mapping with street, postalCode, city)',
      'wrong-types.yaml:16:9: lifecycle.wave: must be an integer, got string "1" (e.g. 1)',
      'wrong-types.yaml:23:12: services.antivirus.seats: must be an integer, got string "many" (e.g. 40)',
      "wrong-types.yaml:42:14: services.servers.vms[0].cpu: must be an integer, got a list (e.g. 2)",
    ],
  ],
];
