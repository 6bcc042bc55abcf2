import { describe, expect, it } from "vitest";
import { boxTable, tabwriter } from "@/lib/engine/net/commands/calicoctl/tables";

describe("calicoctl's table printers", () => {
  it("pads every tabwriter cell, the last one too", () => {
    expect(tabwriter([["NAME", "IPV6"], ["node01", ""]])).toBe("NAME     IPV6   \nnode01          \n");
  });

  it("centres headers, right-aligns numbers and wraps long cells as tablewriter does", () => {
    expect(boxTable(["Peer address", "Info"], [["10.2.7.208", "Active Socket: Connection refused"], ["10.2.7.209", "Established"]])).toBe(
      "+--------------+--------------------------------+\n" +
      "| PEER ADDRESS |              INFO              |\n" +
      "+--------------+--------------------------------+\n" +
      "| 10.2.7.208   | Active Socket: Connection      |\n" +
      "|              | refused                        |\n" +
      "| 10.2.7.209   | Established                    |\n" +
      "+--------------+--------------------------------+\n",
    );
    expect(boxTable(["N", "Total"], [["a", "65536"]])).toBe("+---+-------+\n| N | TOTAL |\n+---+-------+\n| a | 65536 |\n+---+-------+\n");
  });
});
