// Putting a job back without using one of its attempts: for what is nobody's fault and will pass (a database or
// storage outage, a worker shutting down). BullMQ moves it to delayed; DelayedError tells the worker the job was
// neither completed nor failed. Shared by the scan and import processors.
import { DelayedError, type Job } from "bullmq";

export async function postponeJob(job: Job, token: string, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}
