"use client";
// The scan page's interactive part: the batch tags, shared by the uploader and the paste box. `userId`: the signed-in
// user, whose unsent photos the uploader keeps in this browser (unsent-store.ts).
import { useState } from "react";
import { BatchTagsInput, useBatchTags } from "./batch-tags";
import { ScanUploader } from "./scan-uploader";
import { PasteText } from "./paste-text";

export function ScanCaptureClient({ userId }: { userId: string }) {
  const [tags, setTags] = useBatchTags();
  // The server's answer to bad tags (422 naming `tags`), shown on the box until it is edited.
  const [tagsError, setTagsError] = useState<string | null>(null);
  const change = (value: string) => {
    setTags(value);
    setTagsError(null);
  };
  return (
    <>
      <BatchTagsInput value={tags} onChange={change} error={tagsError} />
      <ScanUploader userId={userId} tags={tags} onTagsError={setTagsError} />
      <PasteText tags={tags} onTagsError={setTagsError} />
    </>
  );
}
