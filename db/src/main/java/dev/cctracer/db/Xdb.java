package dev.cctracer.db; class Xdb {}
