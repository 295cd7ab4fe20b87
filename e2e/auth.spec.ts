import { test, expect } from "./fixtures";

test("a rep signs in, reaches the dashboard and sees the worker online", async ({ page, signIn }) => {
  await signIn("rep");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(page.getByTestId("worker-status")).toHaveAttribute("data-online", "true");
  await expect(page.getByTestId("worker-status")).toHaveText(/worker online/);
});

test("a rep who opens an admin page is refused and sees no admin navigation", async ({ page, signIn }) => {
  await signIn("rep");
  await expect(page.getByRole("navigation", { name: "Admin navigation" })).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByText("Admins only")).toBeVisible();
});

test("an admin sees the admin navigation and the users page", async ({ page, signIn }) => {
  await signIn("admin");
  const nav = page.getByRole("navigation", { name: "Admin navigation" });
  await expect(nav.getByRole("link", { name: "Admin" })).toBeVisible();
  await nav.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "rep@example.com" })).toBeVisible();
});

test("sign-out returns to the sign-in page and protects the app again", async ({ page, signIn }) => {
  await signIn("rep");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("rep@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  // The message is tied to both fields (which one is wrong is not said, on purpose).
  for (const field of ["Email", "Password"]) {
    await expect(page.getByLabel(field)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(field)).toHaveAttribute("aria-describedby", "login-error");
    await expect(page.getByLabel(field)).toHaveAccessibleDescription("Wrong email or password.");
  }
});

test("an invalid email is refused (422) and only the email field is marked with the message", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("something");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter a valid email and password." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email and password.");
  await expect(page.getByLabel("Password")).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password")).not.toHaveAttribute("aria-describedby", /.+/);
});

test("before the page's script runs, submitting the sign-in form never puts the password in a URL", async ({ browser }) => {
  // A phone on event Wi-Fi can show the form seconds before its script has loaded: here
  // the script never loads at all.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/login");
  await expect(page.locator("form")).toHaveAttribute("method", "post");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  await page.getByLabel("Email").fill("rep@example.com");
  await page.getByLabel("Password").fill("rep12345-secret");
  await page.getByLabel("Password").press("Enter");
  await page.getByRole("button", { name: "Sign in" }).click({ force: true });
  await page.waitForTimeout(500); // a navigation, if any, would have started by now
  expect(page.url()).not.toContain("secret");
  expect(urls.filter((u) => u.includes("secret") || u.includes("password="))).toEqual([]);
  await ctx.close();
});

test("before the page's script runs, the admin's new-user form never puts a password in a URL either", async ({ browser, page, signIn }) => {
  await signIn("admin");
  const ctx = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await ctx.newPage();
  const urls: string[] = [];
  noJs.on("request", (r) => urls.push(r.url()));
  await noJs.goto("/admin");
  await expect(noJs.getByRole("button", { name: "Add user" })).toBeDisabled();
  await noJs.getByPlaceholder("Name").fill("No Script");
  await noJs.getByPlaceholder("Email").fill("noscript@example.com");
  await noJs.getByPlaceholder("Password (8+)").fill("new-user-secret");
  await noJs.getByPlaceholder("Password (8+)").press("Enter");
  await noJs.waitForTimeout(500);
  expect(urls.filter((u) => u.includes("secret") || u.includes("password="))).toEqual([]);
  await ctx.close();
});

test("signing in with a hostile callbackUrl lands on this site's dashboard, never on another site", async ({ page, baseURL }) => {
  // Browsers read "\" as "/" and drop TAB, so the first two were "//evil.example" to them
  // (server/http/safe-callback.ts). Any request to that host would be the open redirect.
  const offsite: string[] = [];
  await page.route((url) => url.hostname.endsWith("evil.example"), (route) => {
    offsite.push(route.request().url());
    return route.abort();
  });
  for (const callbackUrl of ["/\\evil.example/x", "/\t/evil.example/y", "//evil.example"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill("rep@example.com");
    await page.getByLabel("Password").fill("rep12345");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toContainText("rep@example.com");
    expect(page.url(), callbackUrl).toBe(`${baseURL}/`);
  }
  expect(offsite).toEqual([]);
});
