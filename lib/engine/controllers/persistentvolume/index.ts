// The PersistentVolume controller (binder and reclaimer) and the matching rules it binds by.
export {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  PV_SYNC_PERIOD_MS, persistentVolumeController,
} from "./controller";
export { accessModesFit, boundToClaim, claimClass, findBestMatch, unsatisfiedBy, volumeClass } from "./matching";
