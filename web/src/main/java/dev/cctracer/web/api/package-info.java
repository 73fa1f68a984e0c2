/**
 * The JSON API of projects, metrics and the index under /api (snake_case, compatible with
 * the original tracer), and the API's problem details; the answers come from the read
 * model ({@code dev.cctracer.web.usage}).
 */
package dev.cctracer.web.api;
