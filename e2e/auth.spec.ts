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
});
