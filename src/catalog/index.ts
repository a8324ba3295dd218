/**
 * Catalogues of AWS facts, as pure data with their source pages: the CIS monitoring controls as Security Hub
 * checks them (CloudWatch.1–14) and the API calls that can blind or weaken this pipeline.
 */
export {
  CIS_MONITORING_CONTROLS,
  CIS_SUBJECTS_KO,
  CIS_WATCHED_EVENT_NAMES,
  type CisMonitoringControl,
  type CisSeverity,
} from './cis-monitoring.js';
export {
  bareEventName,
  isPipelineCall,
  PIPELINE_CALL_GROUPS,
  PIPELINE_CALL_KEYS,
  type PipelineCall,
  type PipelineCallGroup,
} from './pipeline-calls.js';
