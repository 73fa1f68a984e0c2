/**
 * The Reports page: daily, weekly, monthly and 5-hour-block tables of a date range, with
 * their models, totals and exports, from the read model ({@code web.usage}).
 */
package dev.cctracer.web.report;
