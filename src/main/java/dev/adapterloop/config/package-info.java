/**
 * The per-task settings every stage reads ({@code adapterloop.tasks.<task>.*}): labels and base model for intake,
 * adapter and training settings for training, the gate and the online test for promotion. Kept apart from the stages
 * so that none of them depends on another one's package for its configuration.
 */
package dev.adapterloop.config;
