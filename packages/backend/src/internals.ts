// @seqlearn/backend/internals: the tfjs internals adapter, for @seqlearn/models. Everything
// here depends on tfjs's private parts and checks the tfjs version before it touches them.
export {
  TFJS_INTERNALS_VERSION, tfjsVersions, checkTfjsVersions, requireSupportedTfjs,
  registeredVariable, recordingGradients, ownCpuBuffer,
  registeredLayerClass, layerWeight, bidirectionalParts, recurrentCellFields, recurrentCellActivations,
  type BidirectionalParts, type RecurrentCellFields,
} from './tfjs-internals.js';
