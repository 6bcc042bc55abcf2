/**
 * The netlab mark: three cluster nodes joined in a triangle, a packet on the wire.
 * Fixed brand colours (same drawing as app/icon.svg), readable on light and dark headers.
 */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg
      viewBox="0 0 32 32"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <rect x="0.5" y="0.5" width="31" height="31" rx="7.5" fill="#0b1424" stroke="#2a3d5e" />
      <path
        d="M16 9.5 9 22.5h14z"
        fill="none"
        stroke="#3f5f8a"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
      <circle cx="16" cy="9.5" r="3.6" fill="#2dd4bf" />
      <circle cx="9" cy="22.5" r="3.2" fill="#0b1424" stroke="#2dd4bf" strokeWidth="1.8" />
      <circle cx="23" cy="22.5" r="3.2" fill="#0b1424" stroke="#2dd4bf" strokeWidth="1.8" />
      <circle cx="16" cy="22.5" r="1.5" fill="#9ff5e6" />
    </svg>
  );
}
