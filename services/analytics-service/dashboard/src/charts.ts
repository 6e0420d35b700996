// The dashboard's charts (Chart.js, bundled by Vite): sign-ups by source, orders by UTC hour and
// by status, events by producing service. Each chart is created once and updated in place.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";
import type { MetricsSnapshot } from "../../src/analytics/snapshot.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

const sources = ["web", "mobile", "api", "social", "unspecified"];
const statuses = ["pending", "confirmed", "processing", "shipped", "delivered", "cancelled"];
const hours = Array.from({ length: 24 }, (_, h) => String(h));
const serviceColorVar: Readonly<Record<string, string>> = {
  "user-service": "--java",
  "order-service": "--go",
  "notification-service": "--python",
  "analytics-service": "--typescript",
};

const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function canvas(id: string): HTMLCanvasElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLCanvasElement)) throw new Error(`#${id} is not a canvas in index.html`);
  return el;
}

function barChart(id: string, labels: string[], label: string): Chart<"bar"> {
  return new Chart(canvas(id), {
    type: "bar",
    // Scriptable colours are read at each draw: the stylesheet may come after the first one, and
    // light and dark mode differ only in CSS variables.
    data: { labels, datasets: [{ label, data: labels.map(() => 0), borderRadius: 3, backgroundColor: () => cssVar("--accent") }] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

export interface Charts {
  update(metrics: MetricsSnapshot): void;
}

export function createCharts(): Charts {
  const bySource = barChart("chart-signups", sources, "sign-ups");
  const byHour = barChart("chart-orders", hours.map((h) => `${h.padStart(2, "0")}h`), "orders");
  const byStatus = barChart("chart-status", statuses, "orders");
  const byService = new Chart<"doughnut", number[], string>(canvas("chart-services"), {
    type: "doughnut",
    data: {
      labels: [],
      datasets: [
        {
          data: [],
          backgroundColor: (ctx) => cssVar(serviceColorVar[String(ctx.chart.data.labels?.[ctx.dataIndex] ?? "")] ?? "--muted"),
          borderColor: () => cssVar("--panel"),
        },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "right" } } },
  });
  let last: MetricsSnapshot | undefined;

  // Light and dark mode differ only in CSS variables: re-read them when the scheme flips.
  const paint = (): void => {
    const text = cssVar("--muted");
    const grid = cssVar("--line");
    for (const chart of [bySource, byHour, byStatus]) {
      for (const scale of [chart.options.scales?.["x"], chart.options.scales?.["y"]]) {
        if (scale === undefined) continue;
        scale.ticks = { ...scale.ticks, color: text };
        scale.grid = { ...scale.grid, color: grid };
      }
    }
    const legend = byService.options.plugins?.legend;
    if (legend !== undefined) legend.labels = { ...legend.labels, color: text };
    if (last !== undefined) update(last);
    for (const chart of [bySource, byHour, byStatus, byService]) chart.update("none");
  };

  const update = (m: MetricsSnapshot): void => {
    last = m;
    const extra = Object.keys(m.signupsBySource).filter((s) => !sources.includes(s));
    bySource.data.labels = [...sources, ...extra];
    bySource.data.datasets[0]!.data = [...sources, ...extra].map((s) => m.signupsBySource[s] ?? 0);
    byHour.data.datasets[0]!.data = hours.map((h) => m.ordersByHour[h] ?? 0);
    const otherStatuses = Object.keys(m.ordersByStatus).filter((s) => !statuses.includes(s));
    byStatus.data.labels = [...statuses, ...otherStatuses];
    byStatus.data.datasets[0]!.data = [...statuses, ...otherStatuses].map((s) => m.ordersByStatus[s] ?? 0);
    const services = Object.keys(m.eventsByService).sort();
    byService.data.labels = services;
    byService.data.datasets[0]!.data = services.map((s) => m.eventsByService[s] ?? 0);
    for (const chart of [bySource, byHour, byStatus, byService]) chart.update("none");
  };

  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", paint);
  paint();
  return { update };
}
