import { residentApi } from '../api-estate.js';
import { listPage, type PageDeps, type PageView } from './page.js';
import { vehicleRow } from './vehicle-row.js';

/** 我的车辆: the cars of the households the resident's account is linked to, plates in full (their own data). */
export function myVehiclesView(deps: PageDeps): PageView {
  return listPage(deps, {
    testid: 'my-vehicles-page',
    title: 'nav.myVehicles',
    list: 'my-vehicles',
    empty: 'myv.none',
    perEstate: false,
    fetch: () => residentApi(deps.api, '').myVehicles(),
    row: vehicleRow,
  });
}
