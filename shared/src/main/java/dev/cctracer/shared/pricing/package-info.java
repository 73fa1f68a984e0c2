/**
 * Model prices with effective dates and the cost rules.
 */
package dev.cctracer.shared.pricing;
