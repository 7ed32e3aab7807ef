import type { Migration } from './types';

/**
 * Waves are compared in time order. `wave_order` is the place the user gave a wave in Data → Waves
 * (1 = earliest); NULL means the user has not set one, and the order comes from the wave labels
 * when they are years or dates. Import order (the dataset id) is never the time order.
 */
export const migration0090: Migration = {
  version: 90,
  name: 'wave-order',
  up(db) {
    db.exec('ALTER TABLE dataset ADD COLUMN wave_order INTEGER CHECK (wave_order IS NULL OR wave_order >= 1);');
  },
};
