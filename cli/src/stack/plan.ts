// The order of components: waves of components whose dependencies are all in earlier waves
// (checked for unknown names and cycles; `down` stops them in reverse). `up` does not wait for
// a whole wave: each component starts as soon as what it waits for is up (startDependencies).
import type { Component } from "./component.js";
import { StackError } from "./stack-error.js";

/** Splits `components` into start waves; throws on an unknown dependency or a cycle. */
export function startWaves(components: readonly Component[]): Component[][] {
  const names = new Set(components.map((c) => c.name));
  for (const c of components) {
    const unknown = c.dependsOn.filter((d) => !names.has(d));
    if (unknown.length > 0) {
      throw new StackError(`${c.name} depends on ${unknown.join(", ")}, which is not a component of this stack`, "fix dependsOn in cli/src/stack/components/");
    }
  }
  const placed = new Set<string>();
  const waves: Component[][] = [];
  let left = [...components];
  while (left.length > 0) {
    const wave = left.filter((c) => c.dependsOn.every((d) => placed.has(d)));
    if (wave.length === 0) {
      throw new StackError(`dependency cycle among ${left.map((c) => c.name).join(", ")}`, "fix dependsOn in cli/src/stack/components/");
    }
    waves.push(wave);
    for (const c of wave) placed.add(c.name);
    left = left.filter((c) => !placed.has(c.name));
  }
  return waves;
}

/** The named components and everything they depend on, transitively. */
export function withDependencies(components: readonly Component[], names: readonly string[]): Component[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new StackError(`unknown component ${unknown.join(", ")}`, `pick from: ${components.map((c) => c.name).join(", ")}`);
  }
  const chosen = new Set<string>();
  const visit = (name: string): void => {
    if (chosen.has(name)) return;
    chosen.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d);
  };
  names.forEach(visit);
  return components.filter((c) => chosen.has(c.name));
}

/** What `c` waits for before it starts: its `dependsOn` less what it `startsBeside`. */
export function startDependencies(c: Component): readonly string[] {
  return c.dependsOn.filter((d) => !(c.startsBeside ?? []).includes(d));
}
