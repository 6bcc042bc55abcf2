import Link from "next/link";
import { LogoMark } from "./Logo";
import styles from "./SiteFooter.module.css";

export function SiteFooter() {
  return (
    <footer className={styles.footer}>
      <div className={`container ${styles.inner}`}>
        <div className={styles.brand}>
          <LogoMark size={22} />
          <p>
            <span className={styles.name}>netlab</span> — Kubernetes networking, learned by doing.
          </p>
        </div>
        <nav aria-label="Footer">
          <ul className={styles.links}>
            <li>
              <Link href="/#lessons">Lessons</Link>
            </li>
          </ul>
        </nav>
        <p className={styles.fine}>
          Every lab cluster is simulated in your browser tab — no VM, no install, no cloud account.
        </p>
      </div>
    </footer>
  );
}
