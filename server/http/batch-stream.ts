// A download read from the database batch by batch as the client pulls: at most one batch in
// memory, no transaction held while a slow client reads, and the batch query stopped when the
// client goes away. Used by the contacts export and the campaign send-log export.
export function batchStream<T>(batches: AsyncGenerator<T[]>, render: (batch: T[], first: boolean) => string, whenEmpty?: () => string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await batches.next();
        if (done) {
          // An empty result can still be a file (a CSV header, with the BOM Excel needs for UTF-8).
          if (first && whenEmpty) controller.enqueue(enc.encode(whenEmpty()));
          controller.close();
          return;
        }
        controller.enqueue(enc.encode(render(value, first)));
        first = false;
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
