// The map itself: Leaflet with the configured background tiles, one keyboard-operable marker per
// site or per group of sites that would overlap, each marked by a shape and a letter as well as a
// colour. Groups are computed here (cluster.ts) at every zoom level; activating a group zooms in
// to it, or lists its sites when they cannot be told apart by zooming (approximate positions can
// coincide). Tile errors are reported so the page can say the background is unavailable.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { clusterPoints, riskLevel, RISK_SHAPES, shapePath, worstLevel, type RiskLevel } from './cluster';
import type { MapSite } from './map-types';

/** Pixels within which markers are grouped. */
const CLUSTER_DISTANCE = 44;
const MAX_ZOOM = 19;

export interface SiteMapLabels {
  site(site: MapSite): string;
  cluster(count: number, worst: RiskLevel): string;
  letter(level: RiskLevel): string;
  region: string;
  zoomIn: string;
  zoomOut: string;
}

export interface SiteMapProps {
  sites: readonly MapSite[];
  tileUrl: string | null;
  attribution: string;
  labels: SiteMapLabels;
  selected: string | null;
  onSelect(id: string): void;
  /** A group whose sites share one spot: the page lists them. */
  onGroup(ids: string[]): void;
  onTileError(): void;
}

export interface SiteMapHandle {
  /** Centres the map on a site, close enough that it stands on its own. */
  show(id: string): void;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function symbolSvg(level: RiskLevel, size: number): string {
  return `<svg class="camaudit-map-symbol" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${shapePath(RISK_SHAPES[level])}"/></svg>`;
}

type Placed = MapSite & { position: { lat: number; lon: number } };

export const SiteMap = forwardRef<SiteMapHandle, SiteMapProps>(function SiteMap({ sites, tileUrl, attribution, labels, selected, onSelect, onGroup, onTileError }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markers = useRef(new Map<string, L.Marker>());
  // Latest callbacks and labels, read by Leaflet's handlers without re-creating the map.
  const current = useRef({ labels, onSelect, onGroup, onTileError, selected });
  current.current = { labels, onSelect, onGroup, onTileError, selected };
  const focusAfterZoom = useRef<string[] | null>(null);

  useEffect(() => {
    const node = container.current;
    if (!node) return;
    const m = L.map(node, { zoomControl: false, attributionControl: false, maxZoom: MAX_ZOOM, keyboard: true });
    L.control.zoom({ zoomInTitle: current.current.labels.zoomIn, zoomOutTitle: current.current.labels.zoomOut }).addTo(m);
    L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(m);
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: escapeHtml(attribution), maxZoom: MAX_ZOOM })
        .on('tileerror', () => current.current.onTileError())
        .addTo(m);
    }
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
      markers.current.clear();
    };
  }, [tileUrl, attribution]);

  // Markers for the current zoom; drawn again whenever the zoom or the sites change.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const placed = sites.filter((s): s is Placed => s.position !== null);
    const layer = L.layerGroup().addTo(m);
    const bySite = new Map(placed.map((s) => [s.id, s]));

    const draw = () => {
      layer.clearLayers();
      markers.current.clear();
      const zoom = m.getZoom();
      const points = placed.map((s) => {
        const p = m.project([s.position.lat, s.position.lon], zoom);
        return { id: s.id, x: p.x, y: p.y };
      });
      const { labels: text } = current.current;
      for (const c of clusterPoints(points, CLUSTER_DISTANCE)) {
        const members = c.members.map((p) => bySite.get(p.id)!);
        const at = m.unproject([c.x, c.y], zoom);
        let marker: L.Marker;
        if (members.length === 1) {
          const site = members[0]!;
          const level = riskLevel(site.highestSeverity);
          const classes = ['camaudit-map-marker', `camaudit-map-marker--${level}`];
          if (site.precision === 'approximate') classes.push('camaudit-map-marker--approximate');
          if (site.id === current.current.selected) classes.push('camaudit-map-marker--selected');
          marker = L.marker([site.position.lat, site.position.lon], {
            keyboard: true, riseOnHover: true,
            icon: L.divIcon({
              className: classes.join(' '), iconSize: [30, 30], iconAnchor: [15, 15],
              html: `${symbolSvg(level, 30)}<span class="camaudit-map-marker__letter" aria-hidden="true">${escapeHtml(text.letter(level))}</span>`,
            }),
          });
          marker.on('click', () => current.current.onSelect(site.id));
          markers.current.set(site.id, marker);
          marker.once('add', () => label(marker, text.site(site), () => current.current.onSelect(site.id)));
        } else {
          const worst = worstLevel(members.map((s) => riskLevel(s.highestSeverity)));
          const ids = members.map((s) => s.id);
          marker = L.marker(at, {
            keyboard: true, riseOnHover: true,
            icon: L.divIcon({
              className: `camaudit-map-cluster camaudit-map-cluster--${worst}`, iconSize: [44, 44], iconAnchor: [22, 22],
              // Count and letter are drawn by CSS from data attributes: the button's name is its
              // aria-label, which says the same in words.
              html: `<span class="camaudit-map-cluster__count" data-count="${members.length}"></span>${symbolSvg(worst, 22)}<span class="camaudit-map-cluster__letter" data-letter="${escapeHtml(text.letter(worst))}"></span>`,
            }),
          });
          const open = () => openGroup(m, members, ids);
          marker.on('click', open);
          for (const id of ids) markers.current.set(id, marker);
          marker.once('add', () => label(marker, text.cluster(members.length, worst), open));
        }
        layer.addLayer(marker);
      }
      // After zooming into a group by keyboard, focus stays with what was opened.
      const wanted = focusAfterZoom.current;
      focusAfterZoom.current = null;
      if (wanted) {
        const target = wanted.map((id) => markers.current.get(id)).find((x) => x !== undefined);
        target?.getElement()?.focus({ preventScroll: true });
      }
    };

    const openGroup = (mm: L.Map, members: Placed[], ids: string[]) => {
      const bounds = L.latLngBounds(members.map((s) => [s.position.lat, s.position.lon] as [number, number]));
      const zoom = mm.getZoom();
      const fit = Math.min(mm.getBoundsZoom(bounds, false, L.point(60, 60)), MAX_ZOOM);
      const spread = bounds.getNorthEast().distanceTo(bounds.getSouthWest());
      // Sites at one spot (or too close to ever part) are listed instead.
      if (spread < 5 || zoom >= MAX_ZOOM - 1) {
        current.current.onGroup(ids);
        return;
      }
      focusAfterZoom.current = ids;
      mm.setView(bounds.getCenter(), Math.max(fit, zoom + 1));
    };

    draw();
    m.on('zoomend', draw);
    return () => {
      m.off('zoomend', draw);
      layer.remove();
    };
  }, [sites, labels, tileUrl, attribution]);

  // The first view takes in every placed site.
  const placedKey = sites.filter((s) => s.position).map((s) => s.id).join(',');
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const points = sites.filter((s): s is Placed => s.position !== null).map((s) => [s.position.lat, s.position.lon] as [number, number]);
    if (points.length === 0) m.setView([52.2, 5.3], 7);
    else if (points.length === 1) m.setView(points[0]!, 15);
    else m.fitBounds(L.latLngBounds(points), { padding: [30, 30] });
    // Keyed by the set of placed sites, not by each answer: reloading keeps the person's view.
  }, [placedKey, tileUrl]);

  // The selected site's marker is outlined; done in place so that focus is not lost.
  useEffect(() => {
    for (const [id, marker] of markers.current) {
      const el = marker.getElement();
      if (el?.classList.contains('camaudit-map-marker')) el.classList.toggle('camaudit-map-marker--selected', id === selected);
    }
  }, [selected]);

  useImperativeHandle(ref, () => ({
    show(id: string) {
      const m = map.current;
      const site = sites.find((s) => s.id === id);
      if (!m || !site?.position) return;
      m.setView([site.position.lat, site.position.lon], Math.max(m.getZoom(), 16));
    },
  }), [sites]);

  return <div ref={container} className="camaudit-map" role="region" aria-label={labels.region} data-testid="site-map" />;
});

/** Markers are buttons: a name for screen readers, and Enter or Space does what a click does. */
function label(marker: L.Marker, text: string, activate: () => void): void {
  const el = marker.getElement();
  if (!el) return;
  el.setAttribute('aria-label', text);
  el.removeAttribute('title');
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    activate();
  });
}
