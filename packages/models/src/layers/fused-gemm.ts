// The matrix products live with the other fast kernels in @seqlearn/backend.
export { gemmNN, gemmNT, gemmTN } from '@seqlearn/backend';
