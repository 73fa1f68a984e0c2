/**
 * The dashboard's pages: overview, projects and a project (Thymeleaf).
 */
package dev.cctracer.web.dashboard;
