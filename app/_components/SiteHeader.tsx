import Link from "next/link";
import { AccountMenu } from "./AccountMenu";
import { LogoMark } from "./Logo";
import { NavLink } from "./NavLink";
import styles from "./SiteHeader.module.css";

export function SiteHeader() {
  return (
    <header className={styles.header}>
      <div className={`container ${styles.inner}`}>
        <Link href="/" className={styles.brand}>
          <LogoMark size={28} />
          <span className={styles.wordmark}>netlab</span>
          <span className="visually-hidden">, home</span>
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <ul className={styles.navList}>
            <li>
              <NavLink href="/#lessons" match="/lessons" className={styles.navLink}>
                Lessons
              </NavLink>
            </li>
            <li>
              <NavLink href="/playground" match="/playground" className={styles.navLink}>
                Playground
              </NavLink>
            </li>
          </ul>
        </nav>
        <div className={styles.end}>
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}
