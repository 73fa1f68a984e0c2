package dev.cctracer.worker; class Xworker {}
