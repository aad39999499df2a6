import type { ElevatorApi } from '../api-elevator.js';
import { te } from '../messages/elevator.js';
import { liftCost } from './lift-cost.js';
import { liftRunning } from './lift-running.js';
import { section } from './page.js';

/**
 * The committee's money sections of the elevator page, 造价分摊 and 运行费用:
 * their own chunk, loaded only for the committee, so a volunteer's or a
 * guard's phone does not download what it may not use.
 */
export function liftMoney(): { els: HTMLElement[]; show(api: ElevatorApi, liftId: string): void } {
  const cost = liftCost();
  const running = liftRunning();
  return {
    els: [section('lift-cost-section', te('cost.title'), cost.el), section('lift-running-section', te('run.title'), running.el)],
    show(api, liftId) {
      cost.show(api, liftId);
      running.show(api, liftId);
    },
  };
}
