/**
 * The price table in force and where its cards come from: the bundled table, a LiteLLM
 * import ({@code cctracer.prices.import}), the user's {@code cctracer.prices-file} and
 * the admin console's cards; a change re-prices the stored records.
 */
package dev.cctracer.worker.pricing;
