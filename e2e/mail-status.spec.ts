// Unsubscribes made visible: a recipient unsubscribes through the link in a real campaign
// email; opening the link again says "already unsubscribed"; the contact's page shows it to
// a rep (read only) and lets an admin allow campaign mail again after a confirmation; the
// contacts list filters on it; and the list's search and filters live in the URL.
import { randomUUID } from "node:crypto";
import { test, expect, trpc } from "./fixtures";

const SINK = `http://127.0.0.1:${Number(process.env.E2E_SMTP_PORT ?? 2526) + 1}/messages`;
interface SinkMessage { to: string[]; subject: string; listUnsubscribe: string | null }

const u = randomUUID().slice(0, 8);
const person = { fullName: `Mallory Optout ${u}`, email: `optout-${u}@example.test` };
const campaignName = `Autumn offers ${u}`;
let contactId = "";
let link = "";

test.describe.configure({ mode: "serial" });

test("a recipient unsubscribes through a campaign email; the link opened again says they already are", async ({ page, signIn }) => {
  test.setTimeout(120_000);
  await signIn("admin");
  contactId = (await trpc<{ id: string }>(page, "contacts.create", { ...person, tags: [`ms-${u}`] })).id;
  const c = await trpc<{ id: string }>(page, "campaigns.create", {
    name: campaignName, fromName: "Sales", fromEmail: "sales@acme.test", subject: `Offers ${u}`,
    html: "<p>Hi {{firstName}}</p><p><a href=\"{{unsubscribeUrl}}\">Unsubscribe</a></p>", text: "Hi\n{{unsubscribeUrl}}",
    audience: { kind: "contacts", contactIds: [contactId] },
  });
  await trpc(page, "campaigns.launch", { id: c.id });
  let mail: SinkMessage | undefined;
  await expect.poll(async () => {
    mail = ((await (await fetch(SINK)).json()).messages as SinkMessage[]).find((m) => m.to.includes(person.email));
    return !!mail;
  }, { timeout: 60_000 }).toBe(true);
  link = /^<(.+)>$/.exec(mail!.listUnsubscribe ?? "")![1];

  // Before: the contact receives campaigns.
  await page.goto(`/contacts/${contactId}`);
  await expect(page.getByTestId("mail-status-line")).toHaveText("Receives campaigns");
  await expect(page.getByRole("button", { name: "Allow campaign mail again" })).toHaveCount(0);

  // The recipient (no session needed) asks, then confirms.
  const anon = await page.context().browser()!.newPage();
  await anon.goto(link);
  await expect(anon.getByText("Stop sending campaign emails to")).toBeVisible();
  await anon.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(anon.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();

  // The same link again: no second question.
  await anon.goto(link);
  await expect(anon.getByRole("heading", { name: "You are already unsubscribed" })).toBeVisible();
  await expect(anon.getByTestId("unsubscribe-email")).toHaveText(person.email);
  await expect(anon.getByRole("button")).toHaveCount(0);
  // A tampered link is still refused.
  expect((await anon.request.get(link.replace(/token=[^.]+/, "token=AAAA"))).status()).toBe(400);
  await anon.close();
});

test("a rep sees the unsubscribe on the contact page but cannot lift it; the list filters on it and keeps it in the URL", async ({ page, signIn }) => {
  await signIn("rep");
  await page.goto(`/contacts/${contactId}`);
  const line = page.getByTestId("mail-status-line");
  await expect(line).toHaveAttribute("data-status", "unsubscribed");
  await expect(line).toContainText(`Unsubscribed on`);
  await expect(line).toContainText(`(via the link in ${campaignName})`);
  const when = Date.parse((await line.locator("time").getAttribute("datetime"))!);
  expect(Math.abs(Date.now() - when)).toBeLessThan(10 * 60_000);
  await expect(page.getByRole("button", { name: "Allow campaign mail again" })).toHaveCount(0);
  await expect(page.getByTestId("mail-status")).toContainText("Only an admin can allow campaign mail to this address again.");
  // Nor through the API.
  const res = await page.request.post("/api/trpc/contacts.allowMail", { data: { json: { id: contactId, email: person.email } } });
  expect(res.status()).toBe(403);

  // The list: "Unsubscribed or bounced" narrows to them, and the URL says so.
  await page.goto("/contacts");
  await page.getByLabel("Search").fill(`mallory ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await page.getByLabel("Mail status").selectOption("suppressed");
  await expect(page).toHaveURL(/[?&]mailStatus=suppressed/);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  // "Export this search" exports what the list shows: only the unsubscribed contact.
  const href = await page.getByTestId("export-search-csv").getAttribute("href");
  expect(href).toContain("mailStatus=suppressed");
  const csv = await (await page.request.get(href!)).text();
  expect(csv).toContain(person.fullName);
  expect(csv.trim().split("\n")).toHaveLength(2); // the header and one contact
  // A fresh visit to the same URL shows the same list.
  await page.goto(page.url());
  await expect(page.getByLabel("Mail status")).toHaveValue("suppressed");
  await expect(page.getByLabel("Search")).toHaveValue(`mallory ${u}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);
  await expect(page.getByTestId("contact-row")).toContainText(person.fullName);
});

test("an admin allows campaign mail again after a confirmation; cancelling it changes nothing", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto(`/contacts/${contactId}`);
  await expect(page.getByTestId("mail-status-line")).toHaveAttribute("data-status", "unsubscribed");
  const button = page.getByRole("button", { name: "Allow campaign mail again" });

  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); void d.dismiss(); });
  await button.click();
  expect(asked).toContain(`${person.email} asked not to receive campaign emails`);
  expect(asked).toContain("Only allow mail again if they asked for it");
  await expect(page.getByTestId("mail-status-line")).toHaveAttribute("data-status", "unsubscribed");

  page.once("dialog", (d) => void d.accept());
  await button.click();
  await expect(page.getByTestId("mail-status").getByRole("status")).toHaveText(`${person.email} will receive campaigns again (it was unsubscribed).`);
  await expect(page.getByTestId("mail-status-line")).toHaveText("Receives campaigns");
  await expect(button).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("mail-status-line")).toHaveText("Receives campaigns");

  // The filtered list no longer has them.
  await page.goto(`/contacts?search=${encodeURIComponent(`mallory ${u}`)}&mailStatus=suppressed`);
  await expect(page.getByTestId("no-contacts")).toBeVisible();
});

test("the contacts search is in the URL: a shared link opens it, typing replaces it without new history entries, Back returns to it", async ({ page, signIn }) => {
  await signIn("rep");
  const v = randomUUID().slice(0, 8);
  for (const name of [`Nadia Url ${v}`, `Nadia Url Second ${v}`, `Other Person ${v}`]) await trpc(page, "contacts.create", { fullName: name, tags: [`url-${v}`] });

  // A bookmarked / shared link.
  await page.goto(`/contacts?search=${encodeURIComponent(`nadia ${v}`)}&sort=name`);
  await expect(page.getByLabel("Search")).toHaveValue(`nadia ${v}`);
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  await expect(page.getByTestId("contact-row")).toHaveCount(2);
  await expect(page.getByTestId("contact-row").first()).toContainText(`Nadia Url ${v}`);

  // Typing updates the URL in place: one history entry whatever is typed.
  const length = await page.evaluate(() => history.length);
  await page.getByLabel("Search").fill(`nadia url second ${v}`);
  await expect(page).toHaveURL(new RegExp(`search=nadia\\+url\\+second\\+${v}`));
  await page.getByLabel("Tag", { exact: true }).fill(`url-${v}`);
  await expect(page).toHaveURL(new RegExp(`tag=url-${v}`));
  expect(await page.evaluate(() => history.length)).toBe(length);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);

  // Open the contact, then Back: the search is still there.
  await page.getByRole("link", { name: `Nadia Url Second ${v}` }).click();
  await expect(page.getByTestId("contact-name")).toHaveText(`Nadia Url Second ${v}`);
  await page.goBack();
  await expect(page).toHaveURL(/\/contacts\?/);
  await expect(page.getByLabel("Search")).toHaveValue(`nadia url second ${v}`);
  await expect(page.getByLabel("Tag", { exact: true })).toHaveValue(`url-${v}`);
  await expect(page.getByTestId("contact-row")).toHaveCount(1);

  // Clearing everything leaves a clean /contacts; hand-edited nonsense is ignored, not an error.
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Tag", { exact: true }).fill("");
  await page.getByLabel("Sort by").selectOption("created");
  await expect(page).toHaveURL(/\/contacts$/);
  await page.goto("/contacts?source=constructor&sort=drop&ownerId=x&createdFrom=yesterday&mailStatus=all");
  await expect(page.getByLabel("Source")).toHaveValue("");
  await expect(page.getByLabel("Sort by")).toHaveValue("created");
  await expect(page.getByLabel("Mail status")).toHaveValue("");
  await expect(page.getByTestId("contacts-table")).toBeVisible();
  await expect(page).toHaveURL(/\/contacts$/);
});
