// The rule that says which lines of README.md are commands (the readme suite runs them).
import { describe, expect, test } from "vitest";
import { briefly, fillPlaceholders, readmeCommands } from "../test-readme/readme-commands.js";

describe("readmeCommands", () => {
  test("the lines of ```sh and ```bash blocks, without comments, with their line numbers; other blocks are not commands", () => {
    const md = [
      "# Title", //                       1
      "```", //                            2
      "./polyglot demo", //                3 output, not a command
      "```", //                            4
      "```sh", //                          5
      "./polyglot up   # start it", //     6
      "", //                               7
      "# a comment line", //               8
      "./polyglot logs --correlation ID", // 9
      "```", //                            10
      "```text", //                        11
      "./polyglot status", //              12
      "```", //                            13
      "```bash", //                        14
      "cd services/order-service && \\", // 15
      "  go test ./...", //                16
      "echo 'a # in quotes' # comment", // 17
      "```", //                            18
    ].join("\n");
    expect(readmeCommands(md)).toEqual([
      { line: 6, command: "./polyglot up" },
      { line: 9, command: "./polyglot logs --correlation ID" },
      { line: 15, command: "cd services/order-service && go test ./..." },
      { line: 17, command: "echo 'a # in quotes'" },
    ]);
  });

  test("a ~~~ fence, and ``` inside it, do not end or start a block early", () => {
    expect(readmeCommands(["~~~sh", "./polyglot status", "~~~", "~~~", "```sh", "~~~"].join("\n"))).toEqual([{ line: 2, command: "./polyglot status" }]);
  });
});

describe("fillPlaceholders", () => {
  test("only the named whole words are replaced; flags, variables and other capitals stay", () => {
    expect(fillPlaceholders("./polyglot logs --correlation ID", { ID: "c-1" })).toBe("./polyglot logs --correlation c-1");
    expect(fillPlaceholders("ID=1 ./x --signal KILL $ID IDS -ID", { ID: "c-1" })).toBe("ID=1 ./x --signal KILL $ID IDS -ID");
  });
});

describe("briefly", () => {
  test("load sends for 2 s and may drain for 120 s, whatever the README asked", () => {
    expect(briefly("./polyglot load --rate 20 --duration 20")).toBe("./polyglot load --rate 20 --duration 2s --drain 120s");
    expect(briefly("./polyglot load --rate 5 --drain 10 --json")).toBe("./polyglot load --rate 5 --drain 120s --json --duration 2s");
    expect(briefly("./polyglot load")).toBe("./polyglot load --duration 2s --drain 120s");
  });

  test("bench makes its --brief smoke run; what cannot be shortened is not run briefly", () => {
    expect(briefly("./polyglot bench")).toBe("./polyglot bench --brief");
    expect(briefly("./polyglot load --find-max")).toBeUndefined();
    expect(briefly("./polyglot bench serialization")).toBeUndefined();
    expect(briefly("./polyglot status")).toBeUndefined();
  });
});
