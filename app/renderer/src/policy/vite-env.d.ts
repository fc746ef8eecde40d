// Vite's `?worker` imports (a Worker constructor for a bundled worker script), used for Monaco's editor worker.
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
