package dev.cctracer.generator; class Xgenerator {}
