/**
 * The upper tail of the normal distribution in log10 form, as the phi accrual detector needs it.
 * Akka's logistic approximation of the normal CDF (Bowling et al. 2009, max error ~1.4e-4 in
 * the CDF) computed so that large phi stays finite: 1 - CDF is never formed by subtraction.
 */

const A = 1.5976;
const B = 0.070566;

/** -log10(P(X > y)) for a standard normal X, i.e. phi for a gap y standard deviations above the mean. */
export function phiOfZ(y: number): number {
  const lnE = -y * (A + B * y * y);
  // y > 0: P(X > y) = e / (1 + e), taken in logs so that e underflowing to 0 still gives a finite phi
  if (y > 0) return (-lnE + Math.log1p(Math.exp(lnE))) / Math.LN10;
  return -Math.log10(1 - 1 / (1 + Math.exp(lnE)));
}

/** The y (in standard deviations) where phiOfZ(y) = phi, for phi > log10(2) (y > 0). Newton on a monotone cubic. */
export function zForPhi(phi: number): number {
  if (!(phi > Math.log10(2))) return 0;
  // phi(y) = (y (A + B y^2) + ln(1 + e)) / ln10; for y > 1 the ln(1 + e) term is below 0.2
  const target = phi * Math.LN10;
  let y = Math.cbrt(target / B);
  for (let i = 0; i < 50; i++) {
    const f = phiOfZ(y) * Math.LN10 - target;
    const e = Math.exp(-y * (A + B * y * y));
    const df = (A + 3 * B * y * y) / (1 + e);
    const next = y - f / df;
    if (Math.abs(next - y) < 1e-12) return next;
    y = next;
  }
  return y;
}
