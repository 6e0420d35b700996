// The command the load suite runs, as a person types it (the suite declares it in
// Suite.commands, so the readme suite accepts it in README.md): a few seconds at a low rate,
// with orders, its report in a folder of the test's own.
export const suiteLoadArgs = ["load", "--rate", "5", "--duration", "4", "--orders-per-signup", "0.5", "--drain", "120", "--json"] as const;
export const suiteLoadCommand = `./polyglot ${suiteLoadArgs.join(" ")}`;
