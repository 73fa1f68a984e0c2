/**
 * The web's read model: the totals of projects, sessions, days, blocks and models from
 * the pre-aggregated tables ({@link dev.cctracer.web.usage.UsageService},
 * {@link dev.cctracer.web.usage.UsageQueries}), their DTOs, parameter parsing, and the
 * one cache of computed answers ({@link dev.cctracer.web.usage.AnswerCache}). Every page
 * and JSON controller reads through it.
 */
package dev.cctracer.web.usage;
