/**
 * JDBC helpers shared by the repositories.
 */
package dev.cctracer.db.support;
