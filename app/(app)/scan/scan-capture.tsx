"use client";
// The scan page's interactive part: the batch tags, shared by the uploader and the paste box.
import { useState } from "react";
import { BatchTagsInput, useBatchTags } from "./batch-tags";
import { ScanUploader } from "./scan-uploader";
import { PasteText } from "./paste-text";

export function ScanCapture() {
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
      <ScanUploader tags={tags} onTagsError={setTagsError} />
      <PasteText tags={tags} onTagsError={setTagsError} />
    </>
  );
}
