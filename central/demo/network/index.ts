/** The demo's network logs: what the CLI demo and other callers import. */
export { generateNetworkLogs, type NetworkLogOptions, type NetworkLogSummary, type WrittenFlowLog, type WrittenWebAcl } from './generate.js';
export { DEMO_NETWORK_ATTACKS, NETWORK_ATTACKERS, SCANNER_USER_AGENTS, type NetworkAttackKind, type PlantedNetworkAttack } from './attack-plan.js';
export { V2_HEADER, V5_HEADER } from './flow-format.js';
