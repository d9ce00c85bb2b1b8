/** Sandbox mode (npm run demo): the banner and the sandbox's test cards. */
import { $, el, notice, setText, show } from './dom';
import { loadSandbox } from './tokenize';

export function setupSandbox(): void {
  show($('sandbox-banner'), true);
  loadSandbox().then((t) => {
    const ul = $('sandbox-card-list');
    ul.textContent = '';
    const year = (new Date().getFullYear() + 3) % 100;
    t.cards.forEach((c) => {
      const li = el('li');
      const label = el('span');
      label.appendChild(el('code', '', c.number.replace(/(\d{4})(?=\d)/g, '$1 ')));
      label.appendChild(document.createTextNode(' ' + c.resultado));
      li.appendChild(label);
      const use = el('button', 'btn btn--ghost btn--small', 'Usar');
      use.type = 'button';
      use.addEventListener('click', () => {
        $<HTMLInputElement>('card-number').value = c.number.replace(/(\d{4})(?=\d)/g, '$1 ');
        $<HTMLInputElement>('card-exp').value = '12/' + ('0' + year).slice(-2);
        $<HTMLInputElement>('card-cvc').value = '123';
      });
      li.appendChild(use);
      ul.appendChild(li);
    });
    setText($('sandbox-mp-hint'), 'Mercado Pago (sandbox): el resultado depende del nombre del titular: ' +
      t.mercadoPagoNames.map((n) => n.nombre + ' = ' + n.resultado.toLowerCase()).join(', ') + '.');
    show($('sandbox-cards'), true);
  }, (e: { message?: string }) => {
    notice($('page-notice'), e.message, 'error');
  });
}
