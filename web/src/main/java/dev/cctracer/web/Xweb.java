package dev.cctracer.web; class Xweb {}
