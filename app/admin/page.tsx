import type { Metadata } from "next";
import Form from "next/form";
import { notFound } from "next/navigation";
import { getViewer, hasRole } from "@/lib/auth";
import { getPrisma, listAccounts } from "@/lib/db";
import { date, dateTime, relativeTime } from "../dashboard/format";
import shared from "../dashboard/dashboard.module.css";
import { RoleForm } from "./RoleForm";
import styles from "./admin.module.css";

export const metadata: Metadata = { title: "Accounts", robots: { index: false } };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

/** Accounts and their roles. Only admins; everyone else gets the 404 page, as if it were not here. */
export default async function AdminPage({ searchParams }: Props) {
  const viewer = await getViewer();
  if (!hasRole(viewer, "admin")) notFound();
  const raw = (await searchParams).q;
  const query = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 100) ?? "";
  const { accounts, total } = await listAccounts(await getPrisma(), { query });
  const now = new Date();

  return (
    <div className={`container ${shared.page}`}>
      <header className={shared.head}>
        <div className={shared.headText}>
          <p className={shared.eyebrow}>Admin</p>
          <h1 className={shared.title}>Accounts</h1>
          <p className={shared.lead}>
            Instructors can create cohorts and follow their learners; admins can also change roles. The last admin
            cannot give up the role until another account has it.
          </p>
        </div>
      </header>

      <section className={shared.panel} aria-labelledby="accounts-title">
        <div className={styles.toolbar}>
          <h2 id="accounts-title" className={shared.panelTitle}>
            {query ? `${total} matching “${query}”` : `${total} ${total === 1 ? "account" : "accounts"}`}
          </h2>
          <Form action="/admin" className={styles.search} role="search">
            <label htmlFor="account-search" className="visually-hidden">
              Search by email or name
            </label>
            <input id="account-search" name="q" type="search" defaultValue={query} placeholder="Email or name" className={shared.input} maxLength={100} />
            <button type="submit" className={shared.secondary}>
              Search
            </button>
          </Form>
        </div>
        {accounts.length === 0 ? (
          <p className={shared.muted}>No account matches.</p>
        ) : (
          <div className={shared.tableScroll}>
            <table className={`${shared.table} ${shared.stack}`}>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id}>
                    <th scope="row" className={styles.email}>
                      {account.email}
                      {account.id === viewer.learnerId ? <span className={styles.you}>you</span> : null}
                    </th>
                    <td data-label="Name">{account.displayName || <span className={shared.muted}>—</span>}</td>
                    <td data-label="Role">
                      <RoleForm accountId={account.id} email={account.email} role={account.role} />
                    </td>
                    <td className={styles.nowrap} data-label="Created">
                      {date(account.createdAt)}
                    </td>
                    <td className={styles.nowrap} data-label="Last seen">
                      <time dateTime={account.lastSeenAt.toISOString()} title={dateTime(account.lastSeenAt)}>
                        {relativeTime(account.lastSeenAt, now)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {accounts.length < total ? (
          <p className={shared.muted}>
            Showing the newest {accounts.length} of {total}. Search to narrow the list.
          </p>
        ) : null}
      </section>
    </div>
  );
}
