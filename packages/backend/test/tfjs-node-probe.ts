/** Whether tfjs-node loads on this machine, found independently of the code under test. */
export async function tfjsNodeLoads(): Promise<boolean> {
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}
